using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IdentityHub.Saml.Tests.Inbound;

/// <summary>Keys and self-signed certificates made for the tests: the SP's RSA-2048 and P-256 keys, and an attacker's.</summary>
internal static class TestKeys
{
    public static RSA SpRsa { get; } = RSA.Create(2048);

    public static ECDsa SpEcdsa { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static RSA AttackerRsa { get; } = RSA.Create(2048);

    public static X509Certificate2 SpRsaCertificate { get; } = SelfSigned(SpRsa);

    public static X509Certificate2 SpEcdsaCertificate { get; } = SelfSigned(SpEcdsa);

    public static X509Certificate2 AttackerCertificate { get; } = SelfSigned(AttackerRsa);

    public static IReadOnlyList<X509Certificate2> SpCertificates { get; } = [SpRsaCertificate, SpEcdsaCertificate];

    private static X509Certificate2 SelfSigned(AsymmetricAlgorithm key)
    {
        var now = DateTimeOffset.UtcNow;
        CertificateRequest request = key switch
        {
            RSA rsa => new CertificateRequest("CN=sp.test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => new CertificateRequest("CN=sp.test", ecdsa, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("RSA or ECDSA", nameof(key)),
        };
        using X509Certificate2 withKey = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));

        // The verifier gets the public certificate only, as from SP metadata.
        return X509CertificateLoader.LoadCertificate(withKey.RawData);
    }
}
