using System.Formats.Asn1;
using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace IdentityHub.Hsm.Keys;

/// <summary>Reads a key pair's public half from the token and encodes it as SubjectPublicKeyInfo.</summary>
internal static class PublicKeyReader
{
    /// <param name="privateHandle">RSA: modulus and public exponent are public attributes of the private key.</param>
    /// <param name="publicHandle">EC: CKA_EC_PARAMS and CKA_EC_POINT live on the public key object.</param>
    public static (KeyAlgorithm Algorithm, byte[] Spki) Read(ISession session, CKK keyType, IObjectHandle privateHandle, IObjectHandle? publicHandle, string keyId)
    {
        if (keyType == CKK.CKK_RSA)
        {
            var rsa = session.GetAttributeValue(privateHandle, [CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT]);
            var modulus = rsa[0].GetValueAsByteArray();
            using var publicKey = RSA.Create(new RSAParameters { Modulus = modulus, Exponent = rsa[1].GetValueAsByteArray() });
            var algorithm = (modulus.Length * 8) switch
            {
                2048 => KeyAlgorithm.Rsa2048,
                3072 => KeyAlgorithm.Rsa3072,
                4096 => KeyAlgorithm.Rsa4096,
                var bits => throw new CryptographicException($"Key {keyId} is RSA-{bits}, which the hub does not use."),
            };
            return (algorithm, publicKey.ExportSubjectPublicKeyInfo());
        }

        if (keyType == CKK.CKK_EC && publicHandle is not null)
        {
            var ec = session.GetAttributeValue(publicHandle, [CKA.CKA_EC_PARAMS, CKA.CKA_EC_POINT]);
            var (algorithm, curve, fieldSize) = CurveOf(ec[0].GetValueAsByteArray(), keyId);
            var point = UncompressedPoint(ec[1].GetValueAsByteArray(), fieldSize, keyId);
            using var publicKey = ECDsa.Create(new ECParameters
            {
                Curve = curve,
                Q = new ECPoint { X = point[1..(1 + fieldSize)], Y = point[(1 + fieldSize)..] },
            });
            return (algorithm, publicKey.ExportSubjectPublicKeyInfo());
        }

        throw new CryptographicException($"Key {keyId} has key type {keyType}, which the hub does not use.");
    }

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
