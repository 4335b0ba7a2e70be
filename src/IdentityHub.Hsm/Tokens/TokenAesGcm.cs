using System.Security.Cryptography;
using IdentityHub.Hsm.Keys;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace IdentityHub.Hsm.Tokens;

/// <summary>
/// AES-256-GCM inside the HSM under token keys of one label that are sensitive and never extractable: what is sealed
/// with them can only be opened by a process logged in to the token. A sealed value is: version (1) | key id length |
/// key id | 96-bit IV | ciphertext and 128-bit tag (NIST SP 800-38D). The key id travels with each value, so keys can
/// be added (rotation) and two nodes that raced to create the first key both stay readable; new values use the key
/// with the lowest id, a choice every node makes alike. The first key is created on first use (or by
/// <see cref="EnsureKey"/>), under the per-token creation lock, looking again once it holds the lock: idempotent
/// across processes.
/// </summary>
internal sealed class TokenAesGcm
{
    private const byte Version = 1;
    private const int IvBytes = 12;
    private const int TagBits = 128;

    private readonly HsmKeyStore _store;
    private readonly string _label;
    private readonly string _what;
    private readonly Lock _gate = new();
    private (byte[] Id, IObjectHandle Handle)? _current;

    /// <param name="what">Names the sealed values in error messages ("evidence", "Data Protection key").</param>
    public TokenAesGcm(HsmKeyStore store, string label, string what)
    {
        _store = store;
        _label = label;
        _what = what;
    }

    public string Label => _label;

    /// <summary>Creates the first key unless one exists; true when this call created it.</summary>
    public bool EnsureKey()
    {
        lock (_gate)
        {
            if (_current is not null)
            {
                return false;
            }

            var created = false;
            _current = Choose(LoadOrCreate(ref created));
            return created;
        }
    }

    public byte[] Encrypt(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var (id, _) = CurrentKey();
        var iv = RandomNumberGenerator.GetBytes(IvBytes);
        var input = plaintext.ToArray();
        var aad = associatedData.ToArray();
        var ciphertext = WithKey(id, (session, key) =>
        {
            using var mechanism = Gcm(iv, aad);
            return session.Encrypt(mechanism, key, input);
        });
        var sealedValue = new byte[2 + id.Length + IvBytes + ciphertext.Length];
        sealedValue[0] = Version;
        sealedValue[1] = (byte)id.Length;
        id.CopyTo(sealedValue, 2);
        iv.CopyTo(sealedValue, 2 + id.Length);
        ciphertext.CopyTo(sealedValue, 2 + id.Length + IvBytes);
        return sealedValue;
    }

    public byte[] Decrypt(ReadOnlySpan<byte> sealedValue, ReadOnlySpan<byte> associatedData)
    {
        if (sealedValue.Length < 2 || sealedValue[0] != Version || sealedValue.Length < 2 + sealedValue[1] + IvBytes + (TagBits / 8))
        {
            throw new CryptographicException($"The sealed {_what} is truncated or of an unknown version.");
        }

        var idLength = sealedValue[1];
        var id = sealedValue.Slice(2, idLength).ToArray();
        var iv = sealedValue.Slice(2 + idLength, IvBytes).ToArray();
        var ciphertext = sealedValue[(2 + idLength + IvBytes)..].ToArray();
        var aad = associatedData.ToArray();
        try
        {
            return WithKey(id, (session, key) =>
            {
                using var mechanism = Gcm(iv, aad);
                return session.Decrypt(mechanism, key, ciphertext);
            });
        }
        catch (Pkcs11Exception ex) when (ex.RV is CKR.CKR_ENCRYPTED_DATA_INVALID or CKR.CKR_ENCRYPTED_DATA_LEN_RANGE or CKR.CKR_GENERAL_ERROR)
        {
            // SoftHSM reports a failed GCM tag check as CKR_GENERAL_ERROR or CKR_ENCRYPTED_DATA_INVALID.
            throw new CryptographicException($"The sealed {_what} failed its integrity check ({ex.RV}): it was altered or belongs to another record.", ex);
        }
    }

    private static IMechanism Gcm(byte[] iv, byte[] aad) =>
        HsmKeyStore.Factories.MechanismFactory.Create(CKM.CKM_AES_GCM,
            HsmKeyStore.Factories.MechanismParamsFactory.CreateCkGcmParams(iv, (ulong)(iv.Length * 8), aad, TagBits));

    /// <summary>Runs with the key of that id; a handle the token forgot (re-login) is looked up again, once.</summary>
    private byte[] WithKey(byte[] id, Func<ISession, IObjectHandle, byte[]> operation)
    {
        for (var attempt = 0; ; attempt++)
        {
            var handle = FindKey(id) ?? throw new CryptographicException($"The {_label} key that sealed this {_what} is not in the HSM.");
            try
            {
                return _store.Pool.Use(session => operation(session, handle));
            }
            catch (Pkcs11Exception ex) when (attempt == 0 && ex.RV is CKR.CKR_KEY_HANDLE_INVALID or CKR.CKR_OBJECT_HANDLE_INVALID)
            {
                lock (_gate)
                {
                    _current = null;
                }
            }
        }
    }

    private IObjectHandle? FindKey(byte[] id)
    {
        if (_current is { } current && current.Id.AsSpan().SequenceEqual(id))
        {
            return current.Handle;
        }

        var f = HsmKeyStore.Factories.ObjectAttributeFactory;
        var found = _store.Pool.Use(session => session.FindAllObjects([
            f.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY),
            f.Create(CKA.CKA_LABEL, _label),
            f.Create(CKA.CKA_ID, id),
        ]));
        return found.Count > 0 ? found[0] : null;
    }

    /// <summary>The key new values are sealed with: the existing key with the lowest id, or a new one.</summary>
    private (byte[] Id, IObjectHandle Handle) CurrentKey()
    {
        lock (_gate)
        {
            if (_current is { } current)
            {
                return current;
            }

            var created = false;
            var chosen = Choose(LoadOrCreate(ref created));
            _current = chosen;
            return chosen;
        }
    }

    private static (byte[] Id, IObjectHandle Handle) Choose(List<(byte[] Id, IObjectHandle Handle)> keys) =>
        keys.OrderBy(k => Convert.ToHexString(k.Id), StringComparer.Ordinal).First();

    private List<(byte[] Id, IObjectHandle Handle)> LoadOrCreate(ref bool created)
    {
        var f = HsmKeyStore.Factories.ObjectAttributeFactory;
        var label = _label;
        var generated = false;
        var keys = _store.Pool.Use(session =>
        {
            List<IObjectHandle> Find() => session.FindAllObjects([f.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY), f.Create(CKA.CKA_LABEL, label)]);
            var handles = Find();
            if (handles.Count == 0)
            {
                handles = TokenObjectWrites.Create(_store.TokenSerialNumber, () =>
                {
                    // Another process may have created it while this one waited for the lock.
                    var again = Find();
                    if (again.Count > 0)
                    {
                        return again;
                    }

                    using var generate = HsmKeyStore.Factories.MechanismFactory.Create(CKM.CKM_AES_KEY_GEN);
                    session.GenerateKey(generate, KeyTemplates.ForAes256(label, KeyTemplates.AesUse.EncryptData));
                    generated = true;
                    return Find();
                });
            }

            return handles.Select(h => (Id: session.GetAttributeValue(h, [CKA.CKA_ID])[0].GetValueAsByteArray(), Handle: h)).ToList();
        });
        created = generated;
        return keys;
    }
}
