using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace IdentityHub.Authentication.Passkeys;

/// <summary>
/// The attestation trust anchors the operator loaded (Authentication:Passkeys:AttestationRootsPath): a directory of
/// PEM or DER certificates, or one file, e.g. the root certificates of the FIDO Metadata Service entries for the
/// authenticator models the hub accepts for level high. Read once, by the start-up checks (a missing path or a file that is not a certificate stops the hub).
/// </summary>
public sealed class AttestationTrustStore
{
    public AttestationTrustStore(IOptions<PasskeyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Anchors = Load(options.Value.AttestationRootsPath);
    }

    public IReadOnlyList<X509Certificate2> Anchors { get; }

    internal static IReadOnlyList<X509Certificate2> Load(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return [];
        }

        IEnumerable<string> files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path).Where(f => f.EndsWith(".pem", StringComparison.OrdinalIgnoreCase)
                || f.EndsWith(".crt", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".cer", StringComparison.OrdinalIgnoreCase)
                || f.EndsWith(".der", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal)
            : File.Exists(path) ? [path] : throw new InvalidOperationException($"{PasskeyOptions.SectionName}:AttestationRootsPath '{path}' does not exist.");
        var anchors = new List<X509Certificate2>();
        foreach (var file in files)
        {
            var collection = new X509Certificate2Collection();
            var text = File.ReadAllText(file);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                collection.ImportFromPem(text);
            }
            else
            {
                collection.Add(X509CertificateLoader.LoadCertificateFromFile(file));
            }

            anchors.AddRange(collection);
        }

        return anchors;
    }
}
