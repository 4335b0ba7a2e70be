using System.Text.RegularExpressions;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Pki;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Pki;

[Collection(HubCollection.Name)]
public sealed partial class CrlTests(HubFixture hub)
{
    [Fact]
    public async Task Openssl_parses_the_CRL_and_it_lists_a_revoked_serial_at_once()
    {
        var issued = await hub.IssueAsync();
        var before = await CrlTextAsync("before");
        Assert.DoesNotContain(issued.SerialNumber.ToUpperInvariant(), before, StringComparison.Ordinal);

        await hub.RevokeAsync(issued, RevocationReason.Superseded);
        var after = await CrlTextAsync("after");

        Assert.Contains($"Serial Number: {issued.SerialNumber.ToUpperInvariant()}", after, StringComparison.Ordinal);
        Assert.Contains("Superseded", after, StringComparison.Ordinal);
        Assert.True(CrlNumber(after) > CrlNumber(before), "the CRL number grows with each re-signing (RFC 5280 §5.2.3)");
        Assert.Contains("Next Update:", after, StringComparison.Ordinal);
        Assert.Contains("X509v3 Authority Key Identifier", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Openssl_verifies_the_CRL_signature_with_the_CA()
    {
        var crl = hub.PathOf("verify.crl");
        await File.WriteAllBytesAsync(crl, await hub.Http.GetByteArrayAsync("/pki/crl/citizen-sign.crl"));
        var ca = await hub.FetchCaAsync("citizen-sign");

        var result = await Openssl.RunAsync(hub.WorkDirectory.FullName, "crl", "-inform", "DER", "-in", crl, "-CAfile", ca, "-noout");

        Assert.Contains("verify OK", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoking_twice_keeps_the_first_revocation()
    {
        var issued = await hub.IssueAsync();
        var first = await hub.RevokeAsync(issued, RevocationReason.KeyCompromise);
        var second = await hub.RevokeAsync(issued, RevocationReason.Superseded);

        Assert.False(first.AlreadyRevoked);
        Assert.True(second.AlreadyRevoked);
        Assert.Equal(RevocationReason.KeyCompromise, second.Reason);
        Assert.Equal(first.RevokedAt, second.RevokedAt);
    }

    [Fact]
    public async Task Unknown_CA_and_unknown_serial_are_clear_errors()
    {
        using var response = await hub.Http.GetAsync("/pki/crl/nope.crl");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        await using var scope = hub.App.Services.CreateAsyncScope();
        var revocations = scope.ServiceProvider.GetRequiredService<RevocationService>();
        var ex = await Assert.ThrowsAsync<CertificateNotFoundException>(() => revocations.RevokeAsync("0x0123456789", RevocationReason.Unspecified, null, CancellationToken.None));
        Assert.Contains("serial 123456789", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<FormatException>(() => revocations.RevokeAsync("not-hex", RevocationReason.Unspecified, null, CancellationToken.None));
    }

    private async Task<string> CrlTextAsync(string name)
    {
        var path = hub.PathOf($"citizen-auth-{name}.crl");
        await File.WriteAllBytesAsync(path, await hub.Http.GetByteArrayAsync("/pki/crl/citizen-auth.crl"));
        var result = await Openssl.RunAsync(hub.WorkDirectory.FullName, "crl", "-inform", "DER", "-in", path, "-noout", "-text");
        Assert.Equal(0, result.ExitCode);
        return result.Output;
    }

    private static long CrlNumber(string text) => long.Parse(CrlNumberPattern().Match(text).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"X509v3 CRL Number: \n\s+(\d+)")]
    private static partial Regex CrlNumberPattern();
}

[Collection(HubCollection.Name)]
public sealed class CrlFreshnessTests(HubFixture hub)
{
    [Fact]
    public async Task A_CRL_is_re_signed_on_request_once_half_its_validity_has_passed_and_not_before()
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var crls = ActivatorUtilities.CreateInstance<CrlService>(scope.ServiceProvider, (TimeProvider)clock);
        var current = await crls.GetCurrentAsync("services", CancellationToken.None);
        var first = new Org.BouncyCastle.X509.X509Crl(current!);

        clock.Advance(TimeSpan.FromHours(11)); // default validity 24 h: still fresh
        Assert.Equal(current, await crls.GetCurrentAsync("services", CancellationToken.None));

        clock.Advance(TimeSpan.FromHours(2)); // 13 h: past half-life
        var resigned = new Org.BouncyCastle.X509.X509Crl((await crls.GetCurrentAsync("services", CancellationToken.None))!);

        Assert.True(resigned.ThisUpdate > first.ThisUpdate);
        Assert.Equal(resigned.ThisUpdate.AddHours(24), resigned.NextUpdate);
        Assert.True(CrlNumberOf(resigned) == CrlNumberOf(first) + 1);
    }

    private static long CrlNumberOf(Org.BouncyCastle.X509.X509Crl crl) =>
        Org.BouncyCastle.Asn1.X509.CrlNumber.GetInstance(
            Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(crl.GetExtensionValue(Org.BouncyCastle.Asn1.X509.X509Extensions.CrlNumber).GetOctets())).LongValueExact;
}
