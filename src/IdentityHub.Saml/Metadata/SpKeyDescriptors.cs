using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Metadata;

/// <summary>saml-metadata-2.0-os §2.4.1.1 KeyDescriptor: its use (signing, encryption, or both when absent) and its certificates.</summary>
internal static class SpKeyDescriptors
{
    internal sealed record Keys(List<X509Certificate2> Signing, List<X509Certificate2> Encryption, List<string> EncryptionMethods);

    public static (Keys? Keys, string? Problem) Read(XmlElement descriptor)
    {
        var keys = new Keys([], [], []);
        foreach (var keyDescriptor in MetadataXml.Children(descriptor, "KeyDescriptor"))
        {
            var use = keyDescriptor.HasAttribute("use") ? keyDescriptor.GetAttribute("use") : null;
            if (use is not (null or "signing" or "encryption"))
            {
                return (null, $"A KeyDescriptor has use=\"{use}\"; only signing and encryption are defined (§2.4.1.1).");
            }

            var certificates = new List<X509Certificate2>();
            foreach (var keyInfo in MetadataXml.Children(keyDescriptor, "KeyInfo", SamlNames.XmlDsig))
            {
                foreach (var x509Data in MetadataXml.Children(keyInfo, "X509Data", SamlNames.XmlDsig))
                {
                    foreach (var element in MetadataXml.Children(x509Data, "X509Certificate", SamlNames.XmlDsig))
                    {
                        var (certificate, problem) = Certificate(element);
                        if (certificate is null)
                        {
                            return (null, problem);
                        }

                        certificates.Add(certificate);
                    }
                }
            }

            if (certificates.Count == 0)
            {
                return (null, "A KeyDescriptor holds no ds:X509Certificate; the hub takes SP keys only as certificates.");
            }

            if (use is null or "signing")
            {
                keys.Signing.AddRange(certificates);
            }

            if (use is null or "encryption")
            {
                keys.Encryption.AddRange(certificates);

                // §2.4.1.1: EncryptionMethod children name the algorithms the SP can decrypt, in its order of preference.
                keys.EncryptionMethods.AddRange(MetadataXml.Children(keyDescriptor, "EncryptionMethod")
                    .Select(m => m.GetAttribute("Algorithm"))
                    .Where(a => a.Length > 0 && !keys.EncryptionMethods.Contains(a)));
            }
        }

        return (keys, null);
    }

    private static (X509Certificate2? Certificate, string? Problem) Certificate(XmlElement element)
    {
        try
        {
            var der = Convert.FromBase64String(MetadataXml.Text(element));
            return (X509CertificateLoader.LoadCertificate(der), null);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return (null, "A KeyDescriptor's ds:X509Certificate is not a base64 DER X.509 certificate.");
        }
    }
}
