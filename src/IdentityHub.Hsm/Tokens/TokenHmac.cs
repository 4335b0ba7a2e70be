using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace IdentityHub.Hsm.Tokens;

/// <summary>
/// HMAC-SHA-256 (CKM_SHA256_HMAC) inside the HSM under one token generic-secret key of a label: sensitive, never
/// extractable, usable only to sign. A deterministic keyed function whose key a database dump does not hold. The key
/// is created on first use under the per-token creation lock; should two processes both have made one, every node uses
/// the one with the lowest id, so the function is the same everywhere. It is never rotated: what it derives (pairwise
/// subjects) must stay the same for the life of the hub.
/// </summary>
public sealed class TokenHmac
{
    private readonly HsmKeyStore _store;
    private readonly string _label;
    private readonly Lock _gate = new();
    private IObjectHandle? _key;

    public TokenHmac(HsmKeyStore store, string label)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _label = label;
    }

    public byte[] Compute(ReadOnlySpan<byte> data)
    {
        var input = data.ToArray();
        for (var attempt = 0; ; attempt++)
        {
            var key = Key();
            try
            {
                return _store.Pool.Use(session =>
                {
                    using var mechanism = HsmKeyStore.Factories.MechanismFactory.Create(CKM.CKM_SHA256_HMAC);
                    return session.Sign(mechanism, key, input);
                });
            }
            catch (Pkcs11Exception ex) when (attempt == 0 && ex.RV is CKR.CKR_KEY_HANDLE_INVALID or CKR.CKR_OBJECT_HANDLE_INVALID)
            {
                lock (_gate)
                {
                    _key = null;
                }
            }
        }
    }

    private IObjectHandle Key()
    {
        lock (_gate)
        {
            if (_key is { } known)
            {
                return known;
            }

            var f = HsmKeyStore.Factories.ObjectAttributeFactory;
            var label = _label;
            _key = _store.Pool.Use(session =>
            {
                List<IObjectHandle> Find() => session.FindAllObjects([f.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY), f.Create(CKA.CKA_LABEL, label)]);
                var handles = Find();
                if (handles.Count == 0)
                {
                    handles = TokenObjectWrites.Create(_store.TokenSerialNumber, () =>
                    {
                        var again = Find();
                        if (again.Count > 0)
                        {
                            return again;
                        }

                        using var generate = HsmKeyStore.Factories.MechanismFactory.Create(CKM.CKM_GENERIC_SECRET_KEY_GEN);
                        session.GenerateKey(generate, Template(label));
                        return Find();
                    });
                }

                return handles
                    .Select(h => (Id: Convert.ToHexString(session.GetAttributeValue(h, [CKA.CKA_ID])[0].GetValueAsByteArray()), Handle: h))
                    .OrderBy(k => k.Id, StringComparer.Ordinal).First().Handle;
            });
            return _key;
        }
    }

    private static List<IObjectAttribute> Template(string label)
    {
        var f = HsmKeyStore.Factories.ObjectAttributeFactory;
        return
        [
            f.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY),
            f.Create(CKA.CKA_KEY_TYPE, CKK.CKK_GENERIC_SECRET),
            f.Create(CKA.CKA_VALUE_LEN, 32UL),
            f.Create(CKA.CKA_TOKEN, true),
            f.Create(CKA.CKA_PRIVATE, true),
            f.Create(CKA.CKA_LABEL, label),
            f.Create(CKA.CKA_ID, RandomNumberGenerator.GetBytes(16)),
            f.Create(CKA.CKA_SENSITIVE, true),
            f.Create(CKA.CKA_EXTRACTABLE, false),
            f.Create(CKA.CKA_SIGN, true),
            f.Create(CKA.CKA_VERIFY, true),
            f.Create(CKA.CKA_ENCRYPT, false),
            f.Create(CKA.CKA_DECRYPT, false),
            f.Create(CKA.CKA_WRAP, false),
            f.Create(CKA.CKA_UNWRAP, false),
            f.Create(CKA.CKA_DERIVE, false),
        ];
    }
}
