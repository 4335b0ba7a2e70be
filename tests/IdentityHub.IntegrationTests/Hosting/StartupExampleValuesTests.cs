using IdentityHub.Server.Hosting;

namespace IdentityHub.IntegrationTests.Hosting;

/// <summary>The start-up checker of example values (issue 8 point 10), rule by rule.</summary>
public sealed class StartupExampleValuesTests
{
    private static readonly ProductionSettings Good = new()
    {
        PublicBaseUrl = "http://pki.eid.gov.be",
        PdsUrls = [("citizen-signature", "https://pki.eid.gov.be/pds/en")],
        Country = "BE",
        TsaPolicyOid = "1.3.6.1.4.1.99999.3161.1",
        ActivationUrl = "https://eid.gov.be/activate",
    };

    [Fact]
    public void Good_values_pass() => Assert.Empty(ExampleValues.Find(Good));

    [Theory]
    [InlineData("https://eid.identityhub.example/activate")]
    [InlineData("https://example.org/activate")]
    [InlineData("https://www.example.com/activate")]
    [InlineData("https://EID.Example.NET./activate")]
    [InlineData("https://example/activate")]
    public void An_example_host_is_named(string url)
    {
        var problem = Assert.Single(ExampleValues.Find(Good with { ActivationUrl = url }));
        Assert.StartsWith($"Enrolment:ActivationUrl '{url}' is an example host", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_example_host_in_a_pds_url_names_the_profile()
    {
        var problem = Assert.Single(ExampleValues.Find(Good with { PdsUrls = [("citizen-signature", "https://pki.identityhub.example/pds/en")] }));
        Assert.StartsWith("Pki:HierarchyFile profiles.citizen-signature.pds url 'https://pki.identityhub.example/pds/en' is an example host", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("notexample.org")]
    [InlineData("example.org.be")]
    [InlineData("examples.com")]
    public void Hosts_that_only_resemble_examples_pass(string host) =>
        Assert.Empty(ExampleValues.Find(Good with { ActivationUrl = $"https://{host}/activate", PublicBaseUrl = $"http://{host}" }));

    [Theory]
    [InlineData("AA")]
    [InlineData("QM")]
    [InlineData("QZ")]
    [InlineData("XA")]
    [InlineData("xz")]
    [InlineData("ZZ")]
    public void A_user_assigned_country_code_is_named(string code)
    {
        var problem = Assert.Single(ExampleValues.Find(Good with { Country = code }));
        Assert.Equal($"Pki:HierarchyFile country '{code}' is a user-assigned ISO 3166-1 code, not a country", problem);
    }

    [Theory]
    [InlineData("AB")]
    [InlineData("QA")]
    [InlineData("QL")]
    [InlineData("ZA")]
    [InlineData("DE")]
    public void Assigned_country_codes_pass(string code) => Assert.Null(ExampleValues.CountryProblem(code));

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://127.8.9.10")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://pki.localhost")]
    [InlineData("http://[::1]:5080")]
    [InlineData("http://[::ffff:127.0.0.1]")]
    [InlineData("http://0.0.0.0:5080")]
    public void A_loopback_url_in_certificates_is_named(string url)
    {
        var problems = ExampleValues.Find(Good with { PublicBaseUrl = url, PdsUrls = [("citizen-signature", url)] });
        Assert.Equal(2, problems.Count);
        Assert.StartsWith($"Pki:PublicBaseUrl '{url}' is a loopback address", problems[0], StringComparison.Ordinal);
        Assert.StartsWith($"Pki:HierarchyFile profiles.citizen-signature.pds url '{url}' is a loopback address", problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_loopback_activation_url_is_not_a_certificate_value() =>
        Assert.Empty(ExampleValues.Find(Good with { ActivationUrl = "http://localhost:5080/activate" }));

    [Theory]
    [InlineData("2.999.3161.1")]
    [InlineData("2.999")]
    public void An_oid_under_the_example_arc_is_named(string oid)
    {
        var problem = Assert.Single(ExampleValues.Find(Good with { TsaPolicyOid = oid }));
        Assert.Equal($"Pki:Tsa:PolicyOid '{oid}' is under the ITU-T example arc 2.999", problem);
    }

    [Fact]
    public void The_repository_defaults_name_every_setting()
    {
        var problems = ExampleValues.Find(new ProductionSettings
        {
            PublicBaseUrl = "http://127.0.0.1:5080",
            PdsUrls = [("citizen-signature", "https://pki.identityhub.example/pds/en")],
            Country = "XA",
            TsaPolicyOid = "2.999.3161.1",
            ActivationUrl = "https://eid.identityhub.example/activate",
        });

        Assert.Equal(
            ["Pki:PublicBaseUrl", "Pki:HierarchyFile profiles.citizen-signature.pds url", "Pki:HierarchyFile country", "Pki:Tsa:PolicyOid", "Enrolment:ActivationUrl"],
            problems.Select(p => p[..p.IndexOf(" '", StringComparison.Ordinal)]));
    }
}
