using System.Security.Cryptography.X509Certificates;
using IdentityHub.Signing.Asic;
using IdentityHub.Signing.Cms;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Pdf;
using IdentityHub.Signing.Signers;
using IdentityHub.Signing.Validation;
using IdentityHub.Signing.Xades;

namespace IdentityHub.Signing.Requests;

/// <summary>What one signature produced: a file to hand back (a signed PDF, an XML, a .p7s, an ASiC-E container).</summary>
public sealed record SignedOutput(int Position, string Name, string MimeType, byte[] Content);

/// <summary>Signs a request's files in its format, all with one opened signer (the activation was consumed for all of them).</summary>
public sealed class RequestSigners(PadesSigner pades, XadesSigner xades, CadesSigner cades, AsicContainer asic)
{
    public const string AsicMimeType = "application/vnd.etsi.asic-e+zip";

    public async Task<IReadOnlyList<SignedOutput>> SignAsync(
        string format, SignatureLevel level, bool visible, int? certification, IReadOnlyList<SignedFile> files, SignerIdentity signer, CancellationToken ct)
    {
        var outputs = new List<SignedOutput>(files.Count);
        switch (format)
        {
            case RequestFormats.Pades:
                var parameters = new PadesParameters { Level = level, Visible = visible, SignerDisplayName = DisplayName(signer), CertificationPermission = certification };
                for (var i = 0; i < files.Count; i++)
                {
                    outputs.Add(new SignedOutput(i, files[i].Name, "application/pdf", await pades.SignAsync(files[i].Content, signer, parameters, ct)));
                }

                break;
            case RequestFormats.Xades:
                for (var i = 0; i < files.Count; i++)
                {
                    outputs.Add(DocumentSniffing.IsXml(files[i])
                        ? new SignedOutput(i, files[i].Name, "application/xml", await xades.SignEnvelopedAsync(files[i].Content, signer, level, ct))
                        : new SignedOutput(i, files[i].Name + ".xades.xml", "application/xml", await xades.SignDetachedAsync([files[i]], signer, level, ct)));
                }

                break;
            case RequestFormats.Cades:
                for (var i = 0; i < files.Count; i++)
                {
                    await using var content = new MemoryStream(files[i].Content.ToArray(), writable: false);
                    outputs.Add(new SignedOutput(i, files[i].Name + ".p7s", "application/pkcs7-signature", await cades.SignDetachedAsync(content, signer, level, ct)));
                }

                break;
            case RequestFormats.Asice:
                // One container, one signature over every file (EN 319 162-1 §4.4): the output belongs to the first document.
                outputs.Add(new SignedOutput(0, ContainerName(files), AsicMimeType, await asic.CreateAsync(files, signer, level, ct)));
                break;
            default:
                throw new DocumentRejectedException(DocumentProblems.Unsupported, $"'{format}' is not a signature format the hub offers.");
        }

        return outputs;
    }

    /// <summary>The signer's name as the visible signature shows it: the certificate's common name.</summary>
    private static string DisplayName(SignerIdentity signer)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(signer.CertificateDer);
        return certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
    }

    private static string ContainerName(IReadOnlyList<SignedFile> files)
    {
        var first = Path.GetFileNameWithoutExtension(files[0].Name);
        return (string.IsNullOrWhiteSpace(first) ? "documents" : first) + ".asice";
    }
}
