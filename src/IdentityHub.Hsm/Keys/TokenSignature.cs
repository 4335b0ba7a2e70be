using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace IdentityHub.Hsm.Keys;

/// <summary>What to hand C_Sign for a digest: the mechanism and its input, checked before any token call.</summary>
internal readonly record struct SignatureInput(CKM Mechanism, byte[] Data, HashAlgorithmName Hash);

/// <summary>Signing a digest inside the token, for token keys and unwrapped session keys alike.</summary>
internal static class TokenSignature
{
    // C_SignInit copies CK_MECHANISM and only reads it, so one instance per mechanism serves every session and thread
    // for the life of the process (the PSS ones own unmanaged CK_RSA_PKCS_PSS_PARAMS, which must outlive every call).
    private static readonly IMechanism Ecdsa = HsmKeyStore.Factories.MechanismFactory.Create(CKM.CKM_ECDSA);
    private static readonly IMechanism RsaPkcs = HsmKeyStore.Factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS);
    private static readonly IMechanism PssSha256 = PssMechanism(HashAlgorithmName.SHA256);
    private static readonly IMechanism PssSha384 = PssMechanism(HashAlgorithmName.SHA384);
    private static readonly IMechanism PssSha512 = PssMechanism(HashAlgorithmName.SHA512);

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
        var mechanism = input.Mechanism switch
        {
            CKM.CKM_ECDSA => Ecdsa,
            CKM.CKM_RSA_PKCS => RsaPkcs,
            _ => input.Hash.Name switch
            {
                "SHA256" => PssSha256,
                "SHA384" => PssSha384,
                _ => PssSha512,
            },
        };
        return session.Sign(mechanism, key, input.Data);
    }

    /// <summary>
    /// CKM_ECDSA returns r || s, each as long as the curve order (PKCS#11 v2.40 §2.3.1), which is IEEE P1363. Some modules
    /// drop leading zero bytes; each half is then left-padded back to the field size, as P1363 and .NET's ECDsa expect.
    /// </summary>
    public static byte[] ToP1363(byte[] signature, KeyAlgorithm algorithm)
    {
        var fieldSize = (algorithm.KeySizeInBits() + 7) / 8;
        if (signature.Length == 2 * fieldSize)
        {
            return signature;
        }

        if (signature.Length % 2 != 0 || signature.Length > 2 * fieldSize || signature.Length == 0)
        {
            throw new CryptographicException($"The token returned a {signature.Length}-byte ECDSA signature for a {algorithm.ToConfigName()} key.");
        }

        var half = signature.Length / 2;
        var padded = new byte[2 * fieldSize];
        signature.AsSpan(0, half).CopyTo(padded.AsSpan(fieldSize - half));
        signature.AsSpan(half).CopyTo(padded.AsSpan((2 * fieldSize) - half));
        return padded;
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
