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

        IObjectHandle? publicHandle = null;
        if (keyType == CKK.CKK_EC)
        {
            var publicKeys = session.FindAllObjects([f.Create(CKA.CKA_CLASS, CKO.CKO_PUBLIC_KEY), f.Create(CKA.CKA_ID, id)]);
            publicHandle = publicKeys.Count > 0 ? publicKeys[0] : throw new CryptographicException($"EC key {keyId} has no public key object in the token.");
        }

        var (algorithm, spki) = PublicKeyReader.Read(session, keyType, handle, publicHandle, keyId);
        return new HsmSigningKey(store, keyId, label, algorithm, handle, spki);
    }

    public byte[] SignDigest(ReadOnlySpan<byte> digest, HashAlgorithmName hash, RSASignaturePadding? rsaPadding = null)
    {
        var input = TokenSignature.Prepare(Algorithm, digest, hash, rsaPadding);
        var started = Stopwatch.GetTimestamp();
        var signature = _store.Pool.Use(session => TokenSignature.Sign(session, PrivateHandle, input));
        HsmMetrics.SignOperations.Add(1, _algorithmTag);
        HsmMetrics.SignDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, _algorithmTag);
        return signature;
    }
}
