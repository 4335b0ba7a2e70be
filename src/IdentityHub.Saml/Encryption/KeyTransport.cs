using System.Security.Cryptography;
using System.Xml;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Encryption;

/// <summary>RSA-OAEP key transport of the content-encryption key to the SP's certificate key (xmlenc-core1 §5.5.2).</summary>
internal static class KeyTransport
{
    private const string Sha1Digest = "http://www.w3.org/2000/09/xmldsig#sha1";

    public static byte[] Wrap(string keyTransport, RSA spKey, byte[] contentKey) => keyTransport switch
    {
        // rsa-oaep-mgf1p: MGF1 is always with SHA-1 and the OAEP digest defaults to SHA-1 (xmlenc §5.4.2); the digest is
        // only a padding parameter here, not a signature, and SHA-1 is what every SP implements for this URI.
        SamlAlgorithms.RsaOaepMgf1p => spKey.Encrypt(contentKey, RSAEncryptionPadding.OaepSHA1),

        // xmlenc11#rsa-oaep with DigestMethod sha256 and MGF mgf1sha256: .NET's OAEP-SHA256 uses MGF1 with SHA-256.
        SamlAlgorithms.RsaOaep => spKey.Encrypt(contentKey, RSAEncryptionPadding.OaepSHA256),
        _ => throw new ArgumentException($"'{keyTransport}' is not a key transport algorithm the hub writes.", nameof(keyTransport)),
    };

    /// <summary>The EncryptedKey's EncryptionMethod with the OAEP parameters spelled out (ds:DigestMethod, xenc11:MGF).</summary>
    public static XmlElement EncryptionMethod(XmlDocument document, string keyTransport)
    {
        var method = document.CreateElement(SamlXml.XencPrefix, "EncryptionMethod", SamlNames.XmlEnc);
        method.SetAttribute("Algorithm", keyTransport);
        var digest = document.CreateElement(SamlXml.DsPrefix, "DigestMethod", SamlNames.XmlDsig);
        method.AppendChild(digest);
        if (keyTransport == SamlAlgorithms.RsaOaep)
        {
            digest.SetAttribute("Algorithm", SamlAlgorithms.Sha256);
            var mgf = document.CreateElement(SamlXml.Xenc11Prefix, "MGF", SamlNames.XmlEnc11);
            mgf.SetAttribute("Algorithm", SamlAlgorithms.Mgf1Sha256);
            method.AppendChild(mgf);
        }
        else
        {
            digest.SetAttribute("Algorithm", Sha1Digest);
        }

        return method;
    }
}
