using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Oiw;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;

namespace IdentityHub.Pki.Authorities;

/// <summary>A CA ready to sign: its certificate, a handle to its HSM key and its OCSP responder.</summary>
internal sealed class Authority
{
    private readonly Dictionary<string, (byte[] NameHash, byte[] KeyHash)> _certIdHashes;

    public Authority(string name, X509Certificate certificate, ISigningKey key, ISignatureFactory signer, SigningCredential? ocspResponder)
    {
        Name = name;
        Certificate = certificate;
        Key = key;
        Signer = signer;
        OcspResponder = ocspResponder;

        // RFC 6960 §4.2.2.3 ResponderID byKey: SHA-1 of the responder's public key. Decoding and hashing the key
        // cost more than the rest of a response, so it is done once per responder, not per request.
        OcspResponderId = ocspResponder is null ? null : new RespID(ocspResponder.Certificate.GetPublicKey());
        SubjectKeyId = CertificateBuilder.SubjectKeyIdOf(certificate);

        // RFC 6960 §4.1.1 CertID: hash of the issuer's DER name and of its public key BIT STRING value.
        var nameDer = certificate.SubjectDN.GetEncoded();
        var keyBits = certificate.SubjectPublicKeyInfo.PublicKey.GetBytes();
        // SHA-1 here is an identifier, not a signature: most OCSP clients (openssl among them) still name issuers by SHA-1 CertIDs.
#pragma warning disable CA5350
        var sha1 = (SHA1.HashData(nameDer), SHA1.HashData(keyBits));
#pragma warning restore CA5350
        _certIdHashes = new(StringComparer.Ordinal)
        {
            [OiwObjectIdentifiers.IdSha1.Id] = sha1,
            [NistObjectIdentifiers.IdSha256.Id] = (SHA256.HashData(nameDer), SHA256.HashData(keyBits)),
            [NistObjectIdentifiers.IdSha384.Id] = (SHA384.HashData(nameDer), SHA384.HashData(keyBits)),
            [NistObjectIdentifiers.IdSha512.Id] = (SHA512.HashData(nameDer), SHA512.HashData(keyBits)),
        };
    }

    public string Name { get; }

    public X509Certificate Certificate { get; }

    public ISigningKey Key { get; }

    public ISignatureFactory Signer { get; }

    public SigningCredential? OcspResponder { get; }

    public RespID? OcspResponderId { get; }

    public byte[] SubjectKeyId { get; }

    /// <summary>Whether an OCSP CertID names this CA as the issuer.</summary>
    public bool IsIssuerOf(string hashAlgorithmOid, byte[] issuerNameHash, byte[] issuerKeyHash) =>
        _certIdHashes.TryGetValue(hashAlgorithmOid, out var h)
        && CryptographicOperations.FixedTimeEquals(h.NameHash, issuerNameHash)
        && CryptographicOperations.FixedTimeEquals(h.KeyHash, issuerKeyHash);
}

/// <summary>A service key and its certificate (OCSP responder, TSA, protocol signing).</summary>
internal sealed record SigningCredential(string Purpose, X509Certificate Certificate, ISigningKey Key, ISignatureFactory Signer, X509Certificate[] Chain);
