using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IdentityHub.Saml.Tests.Signing;

/// <summary>
/// A software key with a self-signed certificate made the way the hub makes one for an HSM key (decision 0005):
/// CertificateRequest.Create with an X509SignatureGenerator, so the certificate never holds the private key and the key
/// is handed to the signer beside it.
/// </summary>
internal sealed class TestKey : IDisposable
{
    private TestKey(AsymmetricAlgorithm key, X509Certificate2 certificate)
    {
        Key = key;
        Certificate = certificate;
    }

    public AsymmetricAlgorithm Key { get; }

    public X509Certificate2 Certificate { get; }

    public static TestKey Rsa(string commonName)
    {
        var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return new TestKey(rsa, SelfSigned(request, X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1)));
    }

    public static TestKey P256(string commonName)
    {
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", ecdsa, HashAlgorithmName.SHA256);
        return new TestKey(ecdsa, SelfSigned(request, X509SignatureGenerator.CreateForECDsa(ecdsa)));
    }

    /// <summary>Writes the certificate (and the private key, PKCS#8) as PEM files for xmlsec1; returns their paths.</summary>
    public (string CertificatePath, string KeyPath) WritePem(string directory, string name)
    {
        var certificatePath = Path.Combine(directory, name + ".crt");
        var keyPath = Path.Combine(directory, name + ".key");
        File.WriteAllText(certificatePath, Certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, Key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    public void Dispose()
    {
        Key.Dispose();
        Certificate.Dispose();
    }

    private static X509Certificate2 SelfSigned(CertificateRequest request, X509SignatureGenerator generator)
    {
        var serial = new BigInteger(RandomNumberGenerator.GetBytes(16), isUnsigned: true).ToByteArray(isUnsigned: true, isBigEndian: true);
        var now = DateTimeOffset.UtcNow;
        return request.Create(request.SubjectName, generator, now.AddDays(-1), now.AddYears(1), serial);
    }
}
