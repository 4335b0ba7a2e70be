using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IdentityHub.Testing.Saml;

/// <summary>A service provider's RSA-2048 key and self-signed certificate, as PEM, for the interop SPs' configuration.</summary>
public sealed record SpKeys(string PrivateKeyPem, string CertificatePem)
{
    public static SpKeys Create(string commonName = "IdentityHub test SP")
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(
            new X500DistinguishedName("CN=" + commonName),
            rsa,
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));
        return new SpKeys(rsa.ExportPkcs8PrivateKeyPem(), certificate.ExportCertificatePem());
    }
}
