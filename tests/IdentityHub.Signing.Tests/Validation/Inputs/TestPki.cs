using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.Utilities.Collections;
using Org.BouncyCastle.X509;

namespace IdentityHub.Signing.Tests.Validation.Inputs;

/// <summary>An in-process test PKI (BouncyCastle, software keys): a root, a signer, a TSA, CRLs. Only for unit tests without a hub.</summary>
internal sealed class TestPki
{
    private static readonly SecureRandom Random = new();
    private static long serial = 100;

    /// <param name="signerNotAfter">End of the signer's validity (default a year ahead).</param>
    /// <param name="intermediateIsCa">Null: the root issues the signer; otherwise an intermediate does, with or without cA.</param>
    public TestPki(DateTime? signerNotAfter = null, bool? intermediateIsCa = null)
    {
        var now = DateTime.UtcNow;
        RootKey = NewKey();
        Root = Certificate("CN=Test Root", RootKey.Public, "CN=Test Root", RootKey.Private, now.AddYears(-2), now.AddYears(5), ca: true, extendedKeyUsage: null);
        var (issuerName, issuerKey) = ("CN=Test Root", RootKey.Private);
        if (intermediateIsCa is { } isCa)
        {
            var key = NewKey();
            Intermediate = Certificate("CN=Test Intermediate", key.Public, "CN=Test Root", RootKey.Private, now.AddYears(-2), now.AddYears(4), ca: isCa, extendedKeyUsage: null);
            (issuerName, issuerKey) = ("CN=Test Intermediate", key.Private);
        }

        (_signerIssuerName, _signerIssuerKey) = (issuerName, issuerKey);

        SignerKey = NewKey();
        Signer = Certificate("CN=Test Signer", SignerKey.Public, issuerName, issuerKey, now.AddYears(-1), signerNotAfter ?? now.AddYears(1), ca: false, extendedKeyUsage: null);
        TsaKey = NewKey();
        Tsa = Certificate("CN=Test TSA", TsaKey.Public, "CN=Test Root", RootKey.Private, now.AddYears(-1), now.AddYears(3), ca: false, extendedKeyUsage: KeyPurposeID.id_kp_timeStamping);
    }

    private readonly string _signerIssuerName;
    private readonly AsymmetricKeyParameter _signerIssuerKey;

    public AsymmetricCipherKeyPair RootKey { get; }

    public X509Certificate Root { get; }

    public X509Certificate? Intermediate { get; }

    public IReadOnlyList<X509Certificate> Chain => Intermediate is null ? [Root] : [Intermediate, Root];

    public AsymmetricCipherKeyPair SignerKey { get; }

    public X509Certificate Signer { get; }

    public AsymmetricCipherKeyPair TsaKey { get; }

    public X509Certificate Tsa { get; }

    public ISignatureFactory SignerFactory => new Asn1SignatureFactory("SHA256withECDSA", SignerKey.Private);

    /// <summary>An RFC 3161 token over SHA-256 of <paramref name="data"/>, made at <paramref name="at"/> by the test TSA.</summary>
    public byte[] TimeStamp(byte[] data, DateTime at)
    {
        var generator = new TimeStampTokenGenerator(TsaKey.Private, Tsa, TspAlgorithms.Sha256, "1.2.3.4");
        generator.SetCertificates(CollectionUtilities.CreateStore(new[] { Tsa }));
        var requests = new TimeStampRequestGenerator();
        requests.SetCertReq(true); // RFC 3161 §2.4.1: the TSA puts its certificate in the token only when asked
        var request = requests.Generate(TspAlgorithms.Sha256, DigestUtilities.CalculateDigest("SHA-256", data));
        return generator.Generate(request, BigInteger.ValueOf(Interlocked.Increment(ref serial)), at).GetEncoded();
    }

    /// <summary>
    /// A CRL of the signer's issuer (the root, or the intermediate) listing the signer as revoked at
    /// <paramref name="revokedAt"/> (null: not listed), signed by <paramref name="signingKey"/> (the issuer's unless given).
    /// </summary>
    public byte[] Crl(DateTime? revokedAt, AsymmetricKeyParameter? signingKey = null)
    {
        var generator = new X509V2CrlGenerator();
        generator.SetIssuerDN(new X509Name(_signerIssuerName));
        generator.SetThisUpdate(DateTime.UtcNow.AddMinutes(-1));
        generator.SetNextUpdate(DateTime.UtcNow.AddDays(1));
        if (revokedAt is { } at)
        {
            generator.AddCrlEntry(Signer.SerialNumber, at, CrlReason.KeyCompromise);
        }

        return generator.Generate(new Asn1SignatureFactory("SHA256withECDSA", signingKey ?? _signerIssuerKey)).GetEncoded();
    }

    /// <summary>A responder certificate issued by the root, with or without id-kp-OCSPSigning (RFC 6960 §4.2.2.2).</summary>
    public (X509Certificate Certificate, AsymmetricCipherKeyPair Key) Responder(bool ocspSigning)
    {
        var key = NewKey();
        var now = DateTime.UtcNow;
        return (Certificate("CN=Test OCSP", key.Public, "CN=Test Root", RootKey.Private, now.AddDays(-1), now.AddYears(1), ca: false,
            extendedKeyUsage: ocspSigning ? KeyPurposeID.id_kp_OCSPSigning : KeyPurposeID.id_kp_clientAuth), key);
    }

    /// <summary>A successful OCSPResponse about the signer, signed by <paramref name="key"/> with <paramref name="responder"/> carried in it.</summary>
    public byte[] Ocsp(DateTime? revokedAt, X509Certificate responder, AsymmetricKeyParameter key)
    {
        var generator = new Org.BouncyCastle.Ocsp.BasicOcspRespGenerator(new Org.BouncyCastle.Ocsp.RespID(responder.SubjectDN));
        var id = new Org.BouncyCastle.Ocsp.CertificateID(Org.BouncyCastle.Ocsp.CertificateID.DigestSha1, Root, Signer.SerialNumber);
        generator.AddResponse(id, revokedAt is { } at ? new Org.BouncyCastle.Ocsp.RevokedStatus(at, CrlReason.KeyCompromise) : Org.BouncyCastle.Ocsp.CertificateStatus.Good);
        var basic = generator.Generate(new Asn1SignatureFactory("SHA256withECDSA", key), [responder], DateTime.UtcNow);
        return new Org.BouncyCastle.Ocsp.OCSPRespGenerator().Generate(Org.BouncyCastle.Ocsp.OCSPRespGenerator.Successful, basic).GetEncoded();
    }

    public static AsymmetricCipherKeyPair NewKey()
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP256r1, Random));
        return generator.GenerateKeyPair();
    }

    private static X509Certificate Certificate(string subject, AsymmetricKeyParameter publicKey, string issuer, AsymmetricKeyParameter issuerKey, DateTime notBefore, DateTime notAfter, bool ca, KeyPurposeID? extendedKeyUsage)
    {
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(BigInteger.ValueOf(Interlocked.Increment(ref serial)));
        generator.SetIssuerDN(new X509Name(issuer));
        generator.SetSubjectDN(new X509Name(subject));
        generator.SetNotBefore(notBefore);
        generator.SetNotAfter(notAfter);
        generator.SetPublicKey(publicKey);
        if (ca)
        {
            generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(true));
            generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign));
        }
        else
        {
            generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.DigitalSignature | KeyUsage.NonRepudiation));
        }

        if (extendedKeyUsage is not null)
        {
            generator.AddExtension(X509Extensions.ExtendedKeyUsage, true, new ExtendedKeyUsage(extendedKeyUsage));
        }

        return generator.Generate(new Asn1SignatureFactory("SHA256withECDSA", issuerKey));
    }
}
