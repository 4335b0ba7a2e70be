using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IdentityHub.Signing.Validation.Chains;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityHub.Signing.Tests.Validation;

/// <summary>Signing:TrustAnchorFiles: PEM bundles and DER files are read whole, and a path that names no file stops the hub at start.</summary>
public sealed class TrustAnchorFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("anchors-").FullName;

    [Fact]
    public void A_PEM_bundle_gives_each_of_its_certificates_and_a_DER_file_its_one()
    {
        using var first = Root("CN=First national root, C=EE");
        using var second = Root("CN=Second national root, C=LV");
        using var third = Root("CN=Third national root, C=LT");
        var bundle = Path.Combine(_directory, "bundle.pem");
        File.WriteAllText(bundle, "# operator's bundle\n" + first.ExportCertificatePem() + "\n" + second.ExportCertificatePem() + "\n");
        var der = Path.Combine(_directory, "third.cer");
        File.WriteAllBytes(der, third.RawData);

        var anchors = TrustAnchorStore.Load([bundle, der]);

        Assert.Equal([first.RawData, second.RawData, third.RawData], anchors.Select(a => a.GetEncoded()));
    }

    [Fact]
    public void A_trust_anchor_file_that_does_not_exist_is_named_when_the_options_are_read()
    {
        using var root = Root("CN=Present root");
        var present = Path.Combine(_directory, "present.pem");
        File.WriteAllText(present, root.ExportCertificatePem());

        Assert.Empty(Options(present).Value.TrustAnchorFiles.Except([present]));
        var refused = Assert.Throws<OptionsValidationException>(() => Options(present, Path.Combine(_directory, "missing.pem")).Value);
        Assert.Contains("Signing:TrustAnchorFiles names a file that does not exist", refused.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static IOptions<SigningOptions> Options(params string[] files)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(files.Select((f, i) => new KeyValuePair<string, string?>($"Signing:TrustAnchorFiles:{i}", f)))
            .Build();
        return new ServiceCollection().AddIdentityHubSigning(configuration).BuildServiceProvider().GetRequiredService<IOptions<SigningOptions>>();
    }

    private static X509Certificate2 Root(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
    }
}
