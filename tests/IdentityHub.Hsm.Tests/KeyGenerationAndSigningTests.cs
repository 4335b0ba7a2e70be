using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace IdentityHub.Hsm.Tests;

[Collection(TokenCollection.Name)]
public sealed class KeyGenerationAndSigningTests(TokenFixture token)
{
    public static TheoryData<KeyAlgorithm, string> AlgorithmsAndHashes() => new()
    {
        { KeyAlgorithm.EcP256, "SHA256" },
        { KeyAlgorithm.EcP256, "SHA384" },
        { KeyAlgorithm.EcP384, "SHA384" },
        { KeyAlgorithm.EcP384, "SHA512" },
        { KeyAlgorithm.Rsa2048, "SHA256" },
        { KeyAlgorithm.Rsa3072, "SHA384" },
        { KeyAlgorithm.Rsa4096, "SHA512" },
    };

    [Theory]
    [MemberData(nameof(AlgorithmsAndHashes))]
    public void Signature_made_in_the_token_verifies_with_the_exported_public_key(KeyAlgorithm algorithm, string hashName)
    {
        var hash = new HashAlgorithmName(hashName);
        var key = token.Store.Generate($"test-sign-{algorithm}", algorithm);
        var data = RandomNumberGenerator.GetBytes(100);
        var digest = Digest(hash, data);

        var signature = key.SignDigest(digest, hash);

        if (algorithm.IsRsa())
        {
            using var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo.Span, out _);
            Assert.Equal(algorithm.KeySizeInBits(), rsa.KeySize);
            Assert.True(rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pkcs1));
            var pss = key.SignDigest(digest, hash, RSASignaturePadding.Pss);
            Assert.True(rsa.VerifyData(data, pss, hash, RSASignaturePadding.Pss));
            Assert.False(rsa.VerifyData(data, pss, hash, RSASignaturePadding.Pkcs1));
        }
        else
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo.Span, out _);
            Assert.Equal(algorithm.KeySizeInBits(), ecdsa.KeySize);
            Assert.Equal(2 * ((ecdsa.KeySize + 7) / 8), signature.Length);
            Assert.True(ecdsa.VerifyData(data, signature, hash));
            data[0] ^= 1;
            Assert.False(ecdsa.VerifyData(data, signature, hash));
        }
    }

    [Fact]
    public void Find_returns_the_same_key_and_null_for_unknown_ids()
    {
        var key = token.Store.Generate("test-find", KeyAlgorithm.EcP256);
        var found = token.Store.Find(key.KeyId);
        Assert.NotNull(found);
        Assert.Equal(key.SubjectPublicKeyInfo.ToArray(), found.SubjectPublicKeyInfo.ToArray());
        Assert.Null(token.Store.Find(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))));
        Assert.Null(token.Store.Find("not-hex"));
        Assert.Contains(token.Store.ListKeys(), k => k.KeyId == key.KeyId && k.Label == "test-find" && k.Algorithm == KeyAlgorithm.EcP256);
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcP256)]
    [InlineData(KeyAlgorithm.Rsa2048)]
    public void Generated_private_keys_are_sensitive_and_never_extractable(KeyAlgorithm algorithm)
    {
        var key = token.Store.Generate("test-protection", algorithm);

        var protection = token.Store.InspectProtection(key.KeyId);

        Assert.Equal(new KeyProtection(Sensitive: true, AlwaysSensitive: true, Extractable: false, NeverExtractable: true, Token: true, Private: true), protection);
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcP256, CKA.CKA_VALUE)]
    [InlineData(KeyAlgorithm.Rsa2048, CKA.CKA_PRIVATE_EXPONENT)]
    public void The_token_refuses_to_reveal_private_key_material(KeyAlgorithm algorithm, CKA secret)
    {
        var key = token.Store.Generate("test-no-reveal", algorithm);
        var factories = new Pkcs11InteropFactories();
        var slot = token.Store.Slot;
        using var session = slot.OpenSession(SessionType.ReadOnly);
        var handle = session.FindAllObjects([
            factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY),
            factories.ObjectAttributeFactory.Create(CKA.CKA_ID, Convert.FromHexString(key.KeyId)),
        ]).Single();

        // PKCS#11 §5.7 C_GetAttributeValue: a sensitive attribute comes back as unavailable, never as bytes.
        var attribute = session.GetAttributeValue(handle, [secret])[0];
        Assert.True(attribute.CannotBeRead);

        // Nor can it be exported by wrapping: the key is not extractable (CKR_KEY_UNEXTRACTABLE).
        var wrappingKey = session.GenerateKey(factories.MechanismFactory.Create(CKM.CKM_AES_KEY_GEN), [
            factories.ObjectAttributeFactory.Create(CKA.CKA_TOKEN, false),
            factories.ObjectAttributeFactory.Create(CKA.CKA_VALUE_LEN, 32UL),
            factories.ObjectAttributeFactory.Create(CKA.CKA_WRAP, true),
        ]);
        using var wrap = factories.MechanismFactory.Create(CKM.CKM_AES_KEY_WRAP_PAD);
        var ex = Assert.Throws<Pkcs11Exception>(() => session.WrapKey(wrap, wrappingKey, handle));
        Assert.Contains(ex.RV, new[] { CKR.CKR_KEY_UNEXTRACTABLE, CKR.CKR_KEY_NOT_WRAPPABLE });
    }

    [Fact]
    public void A_digest_of_the_wrong_length_is_refused()
    {
        var key = token.Store.Generate("test-length", KeyAlgorithm.EcP256);
        Assert.Throws<CryptographicException>(() => key.SignDigest(new byte[31], HashAlgorithmName.SHA256));
        Assert.Throws<CryptographicException>(() => key.SignDigest(new byte[32], HashAlgorithmName.SHA384));
    }

    [Fact]
    public async Task Concurrent_signing_through_the_pool_is_safe()
    {
        var key = token.Store.Generate("test-concurrency", KeyAlgorithm.EcP256);
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo.Span, out _);
        var failures = 0;
        var signed = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, (i, _) =>
        {
            var digest = SHA256.HashData(BitConverter.GetBytes(i));
            var signature = key.SignDigest(digest, HashAlgorithmName.SHA256);
            Interlocked.Increment(ref signed);
            if (!ecdsa.VerifyHash(digest, signature))
            {
                Interlocked.Increment(ref failures);
            }

            return ValueTask.CompletedTask;
        });

        Assert.Equal(2000, signed);
        Assert.Equal(0, failures);
    }

    [Fact]
    public async Task A_pool_of_one_session_serialises_concurrent_callers()
    {
        var options = TokenFixture.FromEnvironment();
        options.MaxSessions = 1;
        using var store = HsmKeyStore.Open(options);
        var key = store.Generate("test-pool-one", KeyAlgorithm.EcP256);
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo.Span, out _);

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() =>
        {
            var digest = SHA256.HashData(BitConverter.GetBytes(i));
            return ecdsa.VerifyHash(digest, key.SignDigest(digest, HashAlgorithmName.SHA256));
        })));

        Assert.All(results, Assert.True);
    }

    private static byte[] Digest(HashAlgorithmName hash, byte[] data) => hash.Name switch
    {
        "SHA256" => SHA256.HashData(data),
        "SHA384" => SHA384.HashData(data),
        _ => SHA512.HashData(data),
    };
}
