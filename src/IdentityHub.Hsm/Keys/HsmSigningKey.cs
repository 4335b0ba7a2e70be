using System.Diagnostics;
using System.Formats.Asn1;
using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using IdentityHub.Hsm.Diagnostics;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace IdentityHub.Hsm.Keys;

/// <summary>
/// A private key in the token. Object handles stay valid for every session of the logged-in application,
/// so signing finds nothing: it rents a session and calls C_Sign on the cached handle.
/// </summary>
internal sealed class HsmSigningKey : ISigningKey
{
    private readonly HsmKeyStore _store;
    private readonly KeyValuePair<string, object?> _algorithmTag;

    private HsmSigningKey(HsmKeyStore store, string keyId, string label, KeyAlgorithm algorithm, IObjectHandle privateHandle, byte[] spki)
    {
        _store = store;
        KeyId = keyId;
        Label = label;
        Algorithm = algorithm;
        PrivateHandle = privateHandle;
        SubjectPublicKeyInfo = spki;
        _algorithmTag = new("algorithm", algorithm.ToConfigName());
    }

    public string KeyId { get; }

    public string Label { get; }

    public KeyAlgorithm Algorithm { get; }

    public ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; }

    internal IObjectHandle PrivateHandle { get; }

    public static HsmSigningKey? Load(HsmKeyStore store, ISession session, string keyId, byte[] id)
    {
        var f = HsmKeyStore.Factories.ObjectAttributeFactory;
        var privateKeys = session.FindAllObjects([f.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY), f.Create(CKA.CKA_ID, id)]);
        if (privateKeys.Count == 0)
        {
            return null;
        }

        var handle = privateKeys[0];
        var attributes = session.GetAttributeValue(handle, [CKA.CKA_KEY_TYPE, CKA.CKA_LABEL]);
        var keyType = (CKK)attributes[0].GetValueAsUlong();
        var label = attributes[1].GetValueAsString() ?? string.Empty;

        if (keyType == CKK.CKK_RSA)
        {
            // Modulus and public exponent are public attributes, readable even on a sensitive private key.
            var rsa = session.GetAttributeValue(handle, [CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT]);
            var modulus = rsa[0].GetValueAsByteArray();
            using var publicKey = RSA.Create(new RSAParameters { Modulus = modulus, Exponent = rsa[1].GetValueAsByteArray() });
            var algorithm = (modulus.Length * 8) switch
            {
                2048 => KeyAlgorithm.Rsa2048,
                3072 => KeyAlgorithm.Rsa3072,
                4096 => KeyAlgorithm.Rsa4096,
                var bits => throw new CryptographicException($"Key {keyId} is RSA-{bits}, which the hub does not use."),
            };
            return new HsmSigningKey(store, keyId, label, algorithm, handle, publicKey.ExportSubjectPublicKeyInfo());
        }

        if (keyType == CKK.CKK_EC)
        {
            var publicKeys = session.FindAllObjects([f.Create(CKA.CKA_CLASS, CKO.CKO_PUBLIC_KEY), f.Create(CKA.CKA_ID, id)]);
            if (publicKeys.Count == 0)
            {
                throw new CryptographicException($"EC key {keyId} has no public key object in the token.");
            }

            var ec = session.GetAttributeValue(publicKeys[0], [CKA.CKA_EC_PARAMS, CKA.CKA_EC_POINT]);
            var (algorithm, curve, fieldSize) = CurveOf(ec[0].GetValueAsByteArray(), keyId);
            var point = UncompressedPoint(ec[1].GetValueAsByteArray(), fieldSize, keyId);
            using var publicKey = ECDsa.Create(new ECParameters
            {
                Curve = curve,
                Q = new ECPoint { X = point[1..(1 + fieldSize)], Y = point[(1 + fieldSize)..] },
            });
            return new HsmSigningKey(store, keyId, label, algorithm, handle, publicKey.ExportSubjectPublicKeyInfo());
        }

        throw new CryptographicException($"Key {keyId} has key type {keyType}, which the hub does not use.");
    }

    public byte[] SignDigest(ReadOnlySpan<byte> digest, HashAlgorithmName hash, RSASignaturePadding? rsaPadding = null)
    {
        var expected = DigestLength(hash);
        if (digest.Length != expected)
        {
            throw new CryptographicException($"A {hash.Name} digest is {expected} bytes; {digest.Length} were given.");
        }

        byte[] input;
        CKM mechanismType;
        var pss = false;
        if (Algorithm.IsRsa())
        {
            pss = rsaPadding == RSASignaturePadding.Pss;
            if (!pss && rsaPadding is not null && rsaPadding != RSASignaturePadding.Pkcs1)
            {
                throw new CryptographicException($"RSA padding {rsaPadding} is not supported.");
            }

            mechanismType = pss ? CKM.CKM_RSA_PKCS_PSS : CKM.CKM_RSA_PKCS;
            input = pss ? digest.ToArray() : DigestInfo.Wrap(digest, hash);
        }
        else
        {
            // CKM_ECDSA signs the digest as given and returns r || s (PKCS#11 v2.40 §2.3.1), the IEEE P1363 form.
            mechanismType = CKM.CKM_ECDSA;
            input = digest.ToArray();
        }

        var started = Stopwatch.GetTimestamp();
        var signature = _store.Pool.Use(session =>
        {
            using var mechanism = pss ? PssMechanism(hash) : HsmKeyStore.Factories.MechanismFactory.Create(mechanismType);
            return session.Sign(mechanism, PrivateHandle, input);
        });
        HsmMetrics.SignOperations.Add(1, _algorithmTag);
        HsmMetrics.SignDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, _algorithmTag);
        return signature;
    }

    private static IMechanism PssMechanism(HashAlgorithmName hash)
    {
        var (hashMechanism, mgf, length) = hash.Name switch
        {
            "SHA256" => (CKM.CKM_SHA256, CKG.CKG_MGF1_SHA256, 32UL),
            "SHA384" => (CKM.CKM_SHA384, CKG.CKG_MGF1_SHA384, 48UL),
            "SHA512" => (CKM.CKM_SHA512, CKG.CKG_MGF1_SHA512, 64UL),
            _ => throw new CryptographicException($"RSA-PSS with {hash.Name} is not supported."),
        };
        var parameters = HsmKeyStore.Factories.MechanismParamsFactory.CreateCkRsaPkcsPssParams((ulong)hashMechanism, (ulong)mgf, length);
        return HsmKeyStore.Factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS_PSS, parameters);
    }

    internal static int DigestLength(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA256" => 32,
        "SHA384" => 48,
        "SHA512" => 64,
        "SHA1" => 20,
        _ => throw new CryptographicException($"Hash algorithm {hash.Name} is not supported."),
    };

    private static (KeyAlgorithm Algorithm, ECCurve Curve, int FieldSize) CurveOf(byte[] ecParams, string keyId)
    {
        var oid = new AsnReader(ecParams, AsnEncodingRules.DER).ReadObjectIdentifier();
        return oid switch
        {
            KeyTemplates.P256Oid => (KeyAlgorithm.EcP256, ECCurve.NamedCurves.nistP256, 32),
            KeyTemplates.P384Oid => (KeyAlgorithm.EcP384, ECCurve.NamedCurves.nistP384, 48),
            _ => throw new CryptographicException($"EC key {keyId} is on curve {oid}, which the hub does not use."),
        };
    }

    /// <summary>
    /// CKA_EC_POINT is a DER OCTET STRING wrapping the point (PKCS#11 v2.40 §2.3.3); some modules return the bare point.
    /// Both forms start with 0x04, so the length decides.
    /// </summary>
    private static byte[] UncompressedPoint(byte[] value, int fieldSize, string keyId)
    {
        var bare = 1 + (2 * fieldSize);
        var point = value.Length == bare ? value : new AsnReader(value, AsnEncodingRules.DER).ReadOctetString();
        if (point.Length != bare || point[0] != 0x04)
        {
            throw new CryptographicException($"EC key {keyId} has a public point that is not uncompressed.");
        }

        return point;
    }
}
