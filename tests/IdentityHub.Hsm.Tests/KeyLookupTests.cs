using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using IdentityHub.Hsm.Keys;
using IdentityHub.Hsm.Tokens;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace IdentityHub.Hsm.Tests;

[Collection(TokenCollection.Name)]
public sealed class KeyLookupTests(TokenFixture token)
{
    [Fact]
    public void Find_takes_the_key_id_in_either_case_and_returns_the_cached_handle()
    {
        var key = token.Store.Generate("test-case", KeyAlgorithm.EcP256);

        Assert.Equal(key.KeyId.ToLowerInvariant(), key.KeyId);
        Assert.Equal(32, key.KeyId.Length);
        Assert.Same(key, token.Store.Find(key.KeyId));
        Assert.Same(key, token.Store.Find(key.KeyId.ToUpperInvariant()));
    }

    [Fact]
    public void ListKeys_leaves_out_keys_the_hub_cannot_use_instead_of_failing()
    {
        var f = new Pkcs11InteropFactories().ObjectAttributeFactory;
        using var session = token.Store.Slot.OpenSession(SessionType.ReadWrite);
        var mine = token.Store.Generate("test-list-mine", KeyAlgorithm.EcP256);

        // Another tool's key pair: no CKA_ID, and on secp256k1, a curve the hub does not use.
        using var mechanism = new Pkcs11InteropFactories().MechanismFactory.Create(CKM.CKM_EC_KEY_PAIR_GEN);
        // Token objects, so created (and destroyed below) under the hub's per-token lock: other test processes use this
        // token at the same time, and SoftHSM's file store does not take unlocked writers well (TokenObjectWrites).
        IObjectHandle foreignPublic = null!, foreignPrivate = null!, otherCurvePublic = null!, otherCurvePrivate = null!;
        TokenObjectWrites.Create(token.Store.TokenSerialNumber, () =>
        {
            session.GenerateKeyPair(mechanism,
                [f.Create(CKA.CKA_TOKEN, true), f.Create(CKA.CKA_EC_PARAMS, KeyTemplates.EncodeOid("1.3.132.0.10")), f.Create(CKA.CKA_VERIFY, true)],
                [f.Create(CKA.CKA_TOKEN, true), f.Create(CKA.CKA_PRIVATE, true), f.Create(CKA.CKA_SIGN, true)],
                out foreignPublic, out foreignPrivate);
            session.GenerateKeyPair(mechanism,
                [f.Create(CKA.CKA_TOKEN, true), f.Create(CKA.CKA_EC_PARAMS, KeyTemplates.EncodeOid("1.3.132.0.10")), f.Create(CKA.CKA_ID, new byte[] { 1, 2, 3 })],
                [f.Create(CKA.CKA_TOKEN, true), f.Create(CKA.CKA_PRIVATE, true), f.Create(CKA.CKA_SIGN, true), f.Create(CKA.CKA_ID, new byte[] { 1, 2, 3 })],
                out otherCurvePublic, out otherCurvePrivate);
            return true;
        });
        try
        {
            var keys = token.Store.ListKeys();

            Assert.Contains(keys, k => k.KeyId == mine.KeyId);
            Assert.DoesNotContain(keys, k => k.KeyId == "010203");
        }
        finally
        {
            TokenObjectWrites.Create(token.Store.TokenSerialNumber, () =>
            {
                session.DestroyObject(foreignPrivate);
                session.DestroyObject(foreignPublic);
                session.DestroyObject(otherCurvePrivate);
                session.DestroyObject(otherCurvePublic);
                return true;
            });
        }
    }

    [Fact]
    public void A_short_ecdsa_signature_is_padded_back_to_p1363()
    {
        // Some modules drop leading zero bytes of r and s; P1363 wants each as long as the field.
        var shortened = Enumerable.Range(1, 62).Select(i => (byte)i).ToArray();

        var p1363 = TokenSignature.ToP1363(shortened, KeyAlgorithm.EcP256);

        Assert.Equal(64, p1363.Length);
        Assert.Equal([0, .. shortened[..31]], p1363[..32]);
        Assert.Equal([0, .. shortened[31..]], p1363[32..]);
        Assert.Throws<CryptographicException>(() => TokenSignature.ToP1363(new byte[63], KeyAlgorithm.EcP256));
        Assert.Throws<CryptographicException>(() => TokenSignature.ToP1363(new byte[66], KeyAlgorithm.EcP256));
    }

    [Fact]
    public void Signing_and_key_generation_are_counted_on_the_hsm_meter()
    {
        var measurements = new List<(string Instrument, string? Algorithm, double Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == HsmServiceCollectionExtensions.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? algorithm = null;
            foreach (var tag in tags)
            {
                algorithm = tag.Key == "algorithm" ? tag.Value as string : algorithm;
            }

            lock (measurements)
            {
                measurements.Add((instrument.Name, algorithm, value));
            }
        }

        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        var key = token.Store.Generate("test-metrics", KeyAlgorithm.EcP384);
        key.SignDigest(SHA384.HashData("metered"u8), HashAlgorithmName.SHA384);

        Assert.Contains(measurements, m => m is ("hsm.keygen.operations", "P-384", 1));
        Assert.Contains(measurements, m => m is ("hsm.sign.operations", "P-384", 1));
        Assert.Contains(measurements, m => m.Instrument == "hsm.sign.duration" && m.Algorithm == "P-384" && m.Value > 0);
    }
}
