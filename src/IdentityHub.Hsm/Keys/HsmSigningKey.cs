using System.Diagnostics;
using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using IdentityHub.Hsm.Diagnostics;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace IdentityHub.Hsm.Keys;

/// <summary>
/// A private key in the token. Object handles stay valid for every session of the logged-in application, so signing
/// finds nothing: it rents a session and calls C_Sign on the cached handle. A token drops handles with the login or the
/// last session (SoftHSM: all of the slot's handles); then the key is found again by CKA_ID, once.
/// </summary>
internal sealed class HsmSigningKey : ISigningKey
{
    private readonly HsmKeyStore _store;
    private readonly byte[] _id;
    private readonly KeyValuePair<string, object?> _algorithmTag;
    private volatile IObjectHandle _handle;

    private HsmSigningKey(HsmKeyStore store, string keyId, byte[] id, string label, KeyAlgorithm algorithm, IObjectHandle privateHandle, byte[] spki)
    {
        _store = store;
        _id = id;
        KeyId = keyId;
        Label = label;
        Algorithm = algorithm;
        _handle = privateHandle;
        SubjectPublicKeyInfo = spki;
        _algorithmTag = new("algorithm", algorithm.ToConfigName());
    }

    public string KeyId { get; }

    public string Label { get; }

    public KeyAlgorithm Algorithm { get; }

    public ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; }

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

        IObjectHandle? publicHandle = null;
        if (keyType == CKK.CKK_EC)
        {
            var publicKeys = session.FindAllObjects([f.Create(CKA.CKA_CLASS, CKO.CKO_PUBLIC_KEY), f.Create(CKA.CKA_ID, id)]);
            publicHandle = publicKeys.Count > 0 ? publicKeys[0] : throw new CryptographicException($"EC key {keyId} has no public key object in the token.");
        }

        var (algorithm, spki) = PublicKeyReader.Read(session, keyType, handle, publicHandle, keyId);
        return new HsmSigningKey(store, keyId, id, label, algorithm, handle, spki);
    }

    public byte[] SignDigest(ReadOnlySpan<byte> digest, HashAlgorithmName hash, RSASignaturePadding? rsaPadding = null)
    {
        var input = TokenSignature.Prepare(Algorithm, digest, hash, rsaPadding);
        var started = Stopwatch.GetTimestamp();
        var signature = Use(input, static (session, handle, i) => TokenSignature.Sign(session, handle, i));
        HsmMetrics.SignOperations.Add(1, _algorithmTag);
        HsmMetrics.SignDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, _algorithmTag);
        return Algorithm.IsRsa() ? signature : TokenSignature.ToP1363(signature, Algorithm);
    }

    /// <summary>Runs an operation on the private key's handle in a pooled session; a stale handle is looked up again once.</summary>
    internal T Use<TState, T>(TState state, Func<ISession, IObjectHandle, TState, T> operation)
    {
        var handle = _handle;
        try
        {
            return _store.Pool.Use((Handle: handle, State: state, Operation: operation), static (session, s) => s.Operation(session, s.Handle, s.State));
        }
        catch (Pkcs11Exception ex) when (ex.RV is CKR.CKR_KEY_HANDLE_INVALID or CKR.CKR_OBJECT_HANDLE_INVALID)
        {
            var fresh = Refresh(handle)
                ?? throw new CryptographicException($"Key {KeyId} is no longer in token '{_store.TokenLabel}' ({ex.RV}).", ex);
            return _store.Pool.Use((Handle: fresh, State: state, Operation: operation), static (session, s) => s.Operation(session, s.Handle, s.State));
        }
    }

    private IObjectHandle? Refresh(IObjectHandle stale)
    {
        var f = HsmKeyStore.Factories.ObjectAttributeFactory;
        var found = _store.Pool.Use(_id, (session, id) => session.FindAllObjects([f.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY), f.Create(CKA.CKA_ID, id)]));
        if (found.Count == 0)
        {
            return null;
        }

        // Several callers may refresh at once; any handle the token just returned is good.
        Interlocked.CompareExchange(ref _handle, found[0], stale);
        HsmLog.KeyHandleRefreshed(_store.Log, KeyId);
        return found[0];
    }
}
