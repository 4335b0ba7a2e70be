using System.Security.Cryptography.X509Certificates;
using IdentityHub.Pki.Authorities;
using Microsoft.Extensions.Options;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace IdentityHub.Signing.Validation.Chains;

/// <summary>
/// The validation service's trust anchors (EN 319 102-1 §5.2.6 "trust anchors" of the validation policy): the hub's
/// own roots, the operator's <see cref="SigningOptions.TrustAnchorFiles"/> (PEM or DER, read once they could be read:
/// a file that could not be read is tried again on the next validation, not remembered as a failure), and any a
/// caller adds for one validation.
/// </summary>
internal sealed class TrustAnchorStore(PkiKeyring keyring, IOptions<SigningOptions> options)
{
    private readonly Lazy<IReadOnlyList<X509Certificate>> _configured =
        new(() => Load(options.Value.TrustAnchorFiles), LazyThreadSafetyMode.PublicationOnly);

    public async Task<IReadOnlyList<X509Certificate>> AnchorsAsync(IReadOnlyList<byte[]>? extra, CancellationToken cancellationToken)
    {
        var roots = await keyring.RootsAsync(cancellationToken);
        return [.. roots.Select(r => new X509Certificate(r)), .. _configured.Value, .. (extra ?? []).Select(e => new X509Certificate(e))];
    }

    public async Task<IReadOnlyList<X509Certificate>> HubAuthoritiesAsync(CancellationToken cancellationToken) =>
        [.. (await keyring.AuthoritiesAsync(cancellationToken)).Values.Select(a => new X509Certificate(a))];

    /// <summary>Every certificate of each file: PEM (any number of CERTIFICATE blocks) or one DER certificate.</summary>
    internal static List<X509Certificate> Load(IEnumerable<string> files)
    {
        var anchors = new List<X509Certificate>();
        foreach (var file in files)
        {
            var full = Path.GetFullPath(file);
            var collection = new X509Certificate2Collection();
            var text = File.ReadAllText(full);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                collection.ImportFromPem(text);
            }
            else
            {
                collection.Add(X509CertificateLoader.LoadCertificate(File.ReadAllBytes(full)));
            }

            anchors.AddRange(collection.Select(c => new X509Certificate(c.RawData)));
            foreach (var certificate in collection)
            {
                certificate.Dispose();
            }
        }

        return anchors;
    }
}
