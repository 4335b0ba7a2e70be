using System.Formats.Asn1;
using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace IdentityHub.Hsm.Keys;

/// <summary>Attribute templates for key pairs generated inside the token (PKCS#11 v2.40 §2.1.4, §2.3.6).</summary>
internal static class KeyTemplates
{
    /// <summary>Named-curve OIDs (RFC 5480 §2.1.1.1) that go DER-encoded into CKA_EC_PARAMS.</summary>
    public const string P256Oid = "1.2.840.10045.3.1.7";
    public const string P384Oid = "1.3.132.0.34";

    public static (IMechanism Mechanism, List<IObjectAttribute> Public, List<IObjectAttribute> Private) For(KeyAlgorithm algorithm, string label, byte[] id)
    {
        var f = HsmKeyStore.Factories.ObjectAttributeFactory;
        var mechanisms = HsmKeyStore.Factories.MechanismFactory;
        var publicTemplate = new List<IObjectAttribute>
        {
            f.Create(CKA.CKA_TOKEN, true),
            f.Create(CKA.CKA_PRIVATE, false),
            f.Create(CKA.CKA_LABEL, label),
            f.Create(CKA.CKA_ID, id),
            f.Create(CKA.CKA_VERIFY, true),
            f.Create(CKA.CKA_ENCRYPT, false),
            f.Create(CKA.CKA_WRAP, false),
        };

        // The private half can sign and nothing else, and can never leave the token (CKA_SENSITIVE, !CKA_EXTRACTABLE).
        var privateTemplate = new List<IObjectAttribute>
        {
            f.Create(CKA.CKA_TOKEN, true),
            f.Create(CKA.CKA_PRIVATE, true),
            f.Create(CKA.CKA_LABEL, label),
            f.Create(CKA.CKA_ID, id),
            f.Create(CKA.CKA_SENSITIVE, true),
            f.Create(CKA.CKA_EXTRACTABLE, false),
            f.Create(CKA.CKA_SIGN, true),
            f.Create(CKA.CKA_DECRYPT, false),
            f.Create(CKA.CKA_UNWRAP, false),
            f.Create(CKA.CKA_DERIVE, false),
        };

        IMechanism mechanism;
        if (algorithm.IsRsa())
        {
            mechanism = mechanisms.Create(CKM.CKM_RSA_PKCS_KEY_PAIR_GEN);
            publicTemplate.Add(f.Create(CKA.CKA_MODULUS_BITS, (ulong)algorithm.KeySizeInBits()));
            publicTemplate.Add(f.Create(CKA.CKA_PUBLIC_EXPONENT, new byte[] { 0x01, 0x00, 0x01 }));
        }
        else
        {
            mechanism = mechanisms.Create(CKM.CKM_EC_KEY_PAIR_GEN);
            publicTemplate.Add(f.Create(CKA.CKA_EC_PARAMS, EncodeOid(algorithm == KeyAlgorithm.EcP256 ? P256Oid : P384Oid)));
        }

        return (mechanism, publicTemplate, privateTemplate);
    }

    /// <summary>
    /// A citizen key pair as session objects: gone when destroyed or when the session closes. The private half is
    /// sensitive and may leave the token only wrapped, and only by a trusted key (CKA_WRAP_WITH_TRUSTED, §4.9).
    /// </summary>
    public static (IMechanism Mechanism, List<IObjectAttribute> Public, List<IObjectAttribute> Private) ForWrappedSessionKey(KeyAlgorithm algorithm)
    {
        var (mechanism, publicTemplate, privateTemplate) = For(algorithm, "citizen", []);
        Replace(publicTemplate, CKA.CKA_TOKEN, false);
        Replace(privateTemplate, CKA.CKA_TOKEN, false);
        Replace(privateTemplate, CKA.CKA_EXTRACTABLE, true);
        privateTemplate.Add(HsmKeyStore.Factories.ObjectAttributeFactory.Create(CKA.CKA_WRAP_WITH_TRUSTED, true));
        return (mechanism, publicTemplate, privateTemplate);
    }

    /// <summary>The template for unwrapping a citizen key for one signature: a sensitive session object that cannot be wrapped again.</summary>
    public static List<IObjectAttribute> ForUnwrappedSessionKey(KeyAlgorithm algorithm)
    {
        var f = HsmKeyStore.Factories.ObjectAttributeFactory;
        return
        [
            f.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY),
            f.Create(CKA.CKA_KEY_TYPE, algorithm.IsRsa() ? CKK.CKK_RSA : CKK.CKK_EC),
            f.Create(CKA.CKA_TOKEN, false),
            f.Create(CKA.CKA_PRIVATE, true),
            f.Create(CKA.CKA_SENSITIVE, true),
            f.Create(CKA.CKA_EXTRACTABLE, false),
            f.Create(CKA.CKA_SIGN, true),
            f.Create(CKA.CKA_DECRYPT, false),
            f.Create(CKA.CKA_UNWRAP, false),
        ];
    }

    /// <summary>What a token AES-256 key may do: wrap and unwrap other keys, or encrypt and decrypt data. Never both.</summary>
    public enum AesUse
    {
        WrapKeys,
        EncryptData,
    }

    /// <summary>
    /// A token AES-256 key (PKCS#11 v2.40 §2.8): sensitive, non-extractable, good for one use only. A trusted key
    /// (CKA_TRUSTED, §4.7.2) can only be made in an SO session, which creates public objects only, so it is not CKA_PRIVATE.
    /// </summary>
    public static List<IObjectAttribute> ForAes256(string label, AesUse use, bool trusted = false)
    {
        var f = HsmKeyStore.Factories.ObjectAttributeFactory;
        var wraps = use == AesUse.WrapKeys;
        var template = new List<IObjectAttribute>
        {
            f.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY),
            f.Create(CKA.CKA_KEY_TYPE, CKK.CKK_AES),
            f.Create(CKA.CKA_VALUE_LEN, 32UL),
            f.Create(CKA.CKA_TOKEN, true),
            f.Create(CKA.CKA_PRIVATE, !trusted),
            f.Create(CKA.CKA_LABEL, label),
            f.Create(CKA.CKA_ID, RandomNumberGenerator.GetBytes(16)),
            f.Create(CKA.CKA_SENSITIVE, true),
            f.Create(CKA.CKA_EXTRACTABLE, false),
            f.Create(CKA.CKA_WRAP, wraps),
            f.Create(CKA.CKA_UNWRAP, wraps),
            f.Create(CKA.CKA_ENCRYPT, !wraps),
            f.Create(CKA.CKA_DECRYPT, !wraps),
            f.Create(CKA.CKA_SIGN, false),
            f.Create(CKA.CKA_VERIFY, false),
            f.Create(CKA.CKA_DERIVE, false),
        };
        if (trusted)
        {
            template.Add(f.Create(CKA.CKA_TRUSTED, true));
        }

        return template;
    }

    private static void Replace(List<IObjectAttribute> template, CKA type, bool value)
    {
        template.RemoveAll(a => a.Type == (ulong)type);
        template.Add(HsmKeyStore.Factories.ObjectAttributeFactory.Create(type, value));
    }

    public static byte[] EncodeOid(string oid)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(oid);
        return writer.Encode();
    }
}
