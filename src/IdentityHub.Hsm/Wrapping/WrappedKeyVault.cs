using System.Diagnostics;
using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using IdentityHub.Hsm.Diagnostics;
using IdentityHub.Hsm.Keys;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace IdentityHub.Hsm;

/// <summary>A citizen key as it is stored: the private key wrapped by the token's trusted key, and its public key.</summary>
public sealed record WrappedKey(KeyAlgorithm Algorithm, byte[] Blob, byte[] SubjectPublicKeyInfo);

/// <summary>
/// Citizen keys at national scale (../shared ARCHITECTURE.md): a key pair is generated inside the token as session
/// objects, its private key is wrapped at once with CKM_AES_KEY_WRAP_PAD (RFC 5649) by the trusted wrapping key, and
/// only that blob is kept (in PostgreSQL). To sign, the blob is unwrapped into a sensitive, non-extractable session
/// object, used once and destroyed. Millions of citizens never become millions of token objects.
/// </summary>
public sealed class WrappedKeyVault
{
    private readonly HsmKeyStore _store;
    private readonly string _wrappingKeyLabel;
    private IObjectHandle? _wrappingKey;

    public WrappedKeyVault(HsmKeyStore store, string wrappingKeyLabel = TrustedWrappingKey.DefaultLabel)
    {
        _store = store;
        _wrappingKeyLabel = wrappingKeyLabel;
    }

    /// <summary>Generates a key pair in the token and returns it wrapped; nothing of it stays in the token.</summary>
    public WrappedKey Generate(KeyAlgorithm algorithm)
    {
        var wrapped = WithWrappingKey(wrappingKey => _store.Pool.Use(session =>
        {
            var (mechanism, publicTemplate, privateTemplate) = KeyTemplates.ForWrappedSessionKey(algorithm);
            IObjectHandle? publicKey = null;
            IObjectHandle? privateKey = null;
            try
            {
                using (mechanism)
                {
                    session.GenerateKeyPair(mechanism, publicTemplate, privateTemplate, out publicKey, out privateKey);
                }

                var keyType = algorithm.IsRsa() ? CKK.CKK_RSA : CKK.CKK_EC;
                var (_, spki) = PublicKeyReader.Read(session, keyType, privateKey, publicKey, "(citizen key)");
                using var wrap = HsmKeyStore.Factories.MechanismFactory.Create(CKM.CKM_AES_KEY_WRAP_PAD);
                return new WrappedKey(algorithm, session.WrapKey(wrap, wrappingKey, privateKey), spki);
            }
            finally
            {
                DestroyQuietly(session, privateKey);
                DestroyQuietly(session, publicKey);
            }
        }));
        HsmMetrics.KeyGenerations.Add(1, new KeyValuePair<string, object?>("algorithm", algorithm.ToConfigName()));
        return wrapped;
    }

    /// <summary>Unwraps the key inside the token, signs the digest with it and destroys it again.</summary>
    public byte[] SignDigest(WrappedKey key, ReadOnlySpan<byte> digest, HashAlgorithmName hash, RSASignaturePadding? rsaPadding = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var input = TokenSignature.Prepare(key.Algorithm, digest, hash, rsaPadding);
        var tag = new KeyValuePair<string, object?>("algorithm", key.Algorithm.ToConfigName());
        var started = Stopwatch.GetTimestamp();
        var signature = WithWrappingKey(wrappingKey => _store.Pool.Use(session =>
        {
            IObjectHandle? unwrapped = null;
            try
            {
                unwrapped = Unwrap(session, wrappingKey, key);
                var raw = TokenSignature.Sign(session, unwrapped, input);
                return key.Algorithm.IsRsa() ? raw : TokenSignature.ToP1363(raw, key.Algorithm);
            }
            finally
            {
                DestroyQuietly(session, unwrapped);
            }
        }));
        HsmMetrics.SignOperations.Add(1, tag);
        HsmMetrics.SignDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tag);
        return signature;
    }

    private static IObjectHandle Unwrap(ISession session, IObjectHandle wrappingKey, WrappedKey key)
    {
        try
        {
            using var unwrap = HsmKeyStore.Factories.MechanismFactory.Create(CKM.CKM_AES_KEY_WRAP_PAD);
            return session.UnwrapKey(unwrap, wrappingKey, key.Blob, KeyTemplates.ForUnwrappedSessionKey(key.Algorithm));
        }
        catch (Pkcs11Exception ex) when (ex.RV is CKR.CKR_WRAPPED_KEY_INVALID or CKR.CKR_WRAPPED_KEY_LEN_RANGE or CKR.CKR_ENCRYPTED_DATA_INVALID
            or CKR.CKR_GENERAL_ERROR) // SoftHSM 2.6 reports a failed RFC 5649 integrity check as CKR_GENERAL_ERROR
        {
            throw new CryptographicException($"The wrapped key could not be unwrapped ({ex.RV}): this token's wrapping key did not produce it, or it was altered.", ex);
        }
    }

    /// <summary>
    /// Runs an operation with the wrapping key's cached handle. A token forgets handles with the login or the last
    /// session (PKCS#11 v2.40 §5.5; SoftHSM: every handle of the slot), so a stale one is looked up again, once.
    /// </summary>
    private T WithWrappingKey<T>(Func<IObjectHandle, T> operation)
    {
        var wrappingKey = WrappingKey();
        try
        {
            return operation(wrappingKey);
        }
        catch (Pkcs11Exception ex) when (ex.RV is CKR.CKR_WRAPPING_KEY_HANDLE_INVALID or CKR.CKR_UNWRAPPING_KEY_HANDLE_INVALID
            or CKR.CKR_KEY_HANDLE_INVALID or CKR.CKR_OBJECT_HANDLE_INVALID)
        {
            Interlocked.CompareExchange(ref _wrappingKey, null, wrappingKey);
            return operation(WrappingKey());
        }
    }

    /// <summary>The trusted wrapping key, found once; handles stay valid for the logged-in application.</summary>
    private IObjectHandle WrappingKey()
    {
        if (_wrappingKey is { } cached)
        {
            return cached;
        }

        var f = HsmKeyStore.Factories.ObjectAttributeFactory;
        var found = _store.Pool.Use(session => session.FindAllObjects([
            f.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY),
            f.Create(CKA.CKA_LABEL, _wrappingKeyLabel),
            f.Create(CKA.CKA_TRUSTED, true),
        ]));
        _wrappingKey = found.Count == 1
            ? found[0]
            : throw new HsmConfigurationException(
                $"Hsm:TokenLabel '{_store.TokenLabel}' has {found.Count} trusted wrapping keys labelled '{_wrappingKeyLabel}' (one is needed): the Security Officer creates it (hubctl hsm create-wrapping-key).");
        return _wrappingKey;
    }

    private static void DestroyQuietly(ISession session, IObjectHandle? handle)
    {
        if (handle is null)
        {
            return;
        }

        try
        {
            session.DestroyObject(handle);
        }
        catch (Pkcs11Exception)
        {
            // A session object also disappears with its session; nothing of it can outlive that.
        }
    }
}
