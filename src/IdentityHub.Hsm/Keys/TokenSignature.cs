using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace IdentityHub.Hsm.Keys;

/// <summary>What to hand C_Sign for a digest: the mechanism and its input, checked before any token call.</summary>
internal sealed record SignatureInput(CKM Mechanism, byte[] Data, HashAlgorithmName Hash);

/// <summary>Signing a digest inside the token, for token keys and unwrapped session keys alike.</summary>
internal static class TokenSignature
{
    public static SignatureInput Prepare(KeyAlgorithm algorithm, ReadOnlySpan<byte> digest, HashAlgorithmName hash, RSASignaturePadding? rsaPadding)
    {
        var expected = DigestLength(hash);
        if (digest.Length != expected)
        {
            throw new CryptographicException($"A {hash.Name} digest is {expected} bytes; {digest.Length} were given.");
        }

        if (!algorithm.IsRsa())
        {
            // CKM_ECDSA signs the digest as given and returns r || s (PKCS#11 v2.40 §2.3.1), the IEEE P1363 form.
            return new SignatureInput(CKM.CKM_ECDSA, digest.ToArray(), hash);
        }

        if (rsaPadding == RSASignaturePadding.Pss)
        {
            return new SignatureInput(CKM.CKM_RSA_PKCS_PSS, digest.ToArray(), hash);
        }

        if (rsaPadding is not null && rsaPadding != RSASignaturePadding.Pkcs1)
        {
            throw new CryptographicException($"RSA padding {rsaPadding} is not supported.");
        }

        return new SignatureInput(CKM.CKM_RSA_PKCS, DigestInfo.Wrap(digest, hash), hash);
    }

    public static byte[] Sign(ISession session, IObjectHandle key, SignatureInput input)
    {
        using var mechanism = input.Mechanism == CKM.CKM_RSA_PKCS_PSS
            ? PssMechanism(input.Hash)
            : HsmKeyStore.Factories.MechanismFactory.Create(input.Mechanism);
        return session.Sign(mechanism, key, input.Data);
    }

    internal static int DigestLength(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA256" => 32,
        "SHA384" => 48,
        "SHA512" => 64,
        "SHA1" => 20,
        _ => throw new CryptographicException($"Hash algorithm {hash.Name} is not supported."),
    };

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
}
