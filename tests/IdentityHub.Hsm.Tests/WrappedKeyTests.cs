using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace IdentityHub.Hsm.Tests;

/// <summary>Citizen keys: generated in the token, kept only as blobs wrapped by the trusted key, unwrapped only to sign.</summary>
[Collection(TokenCollection.Name)]
public sealed class WrappedKeyTests(TokenFixture token)
{
    private static readonly Pkcs11InteropFactories Factories = new();

    [Theory]
    [InlineData(KeyAlgorithm.EcP256)]
    [InlineData(KeyAlgorithm.EcP384)]
    [InlineData(KeyAlgorithm.Rsa2048)]
    public void A_wrapped_key_signs_inside_the_token_and_verifies_with_its_public_key(KeyAlgorithm algorithm)
    {
        var vault = new WrappedKeyVault(token.Store);
        var key = vault.Generate(algorithm);
        var digest = SHA256.HashData("a document"u8);

        var signature = vault.SignDigest(key, digest, HashAlgorithmName.SHA256);

        using var verifier = algorithm.IsRsa() ? (AsymmetricAlgorithm)RSA.Create() : ECDsa.Create();
        verifier.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo, out _);
        Assert.True(verifier is RSA rsa
            ? rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : ((ECDsa)verifier).VerifyHash(digest, signature));

        // The blob is ciphertext (RFC 5649), not a private key anyone outside the token could load.
        using var probe = algorithm.IsRsa() ? (AsymmetricAlgorithm)RSA.Create() : ECDsa.Create();
        Assert.ThrowsAny<CryptographicException>(() => probe.ImportPkcs8PrivateKey(key.Blob, out _));
    }

    [Fact]
    public void Generating_and_signing_leave_no_object_in_the_token()
    {
        var vault = new WrappedKeyVault(token.Store);
        var before = CountObjects();

        var keys = Enumerable.Range(0, 20).Select(_ => vault.Generate(KeyAlgorithm.EcP256)).ToList();
        foreach (var key in keys)
        {
            vault.SignDigest(key, new byte[32], HashAlgorithmName.SHA256);
        }

        Assert.Equal(before, CountObjects());
        Assert.Equal(20, keys.Select(k => Convert.ToHexString(k.SubjectPublicKeyInfo)).Distinct().Count());
    }

    [Fact]
    public void A_citizen_key_is_sensitive_wraps_only_with_the_trusted_key_and_never_with_another()
    {
        using var session = token.Store.Slot.OpenSession(SessionType.ReadWrite);
        var f = Factories.ObjectAttributeFactory;
        var (mechanism, publicTemplate, privateTemplate) = KeyTemplatesAccess.ForWrappedSessionKey(KeyAlgorithm.EcP256);
        session.GenerateKeyPair(mechanism, publicTemplate, privateTemplate, out var publicKey, out var privateKey);
        mechanism.Dispose();
        try
        {
            var attributes = session.GetAttributeValue(privateKey, [CKA.CKA_SENSITIVE, CKA.CKA_WRAP_WITH_TRUSTED, CKA.CKA_TOKEN]);
            Assert.True(attributes[0].GetValueAsBool(), "CKA_SENSITIVE");
            Assert.True(attributes[1].GetValueAsBool(), "CKA_WRAP_WITH_TRUSTED");
            Assert.False(attributes[2].GetValueAsBool(), "a session object, not a token object");
            Assert.True(session.GetAttributeValue(privateKey, [CKA.CKA_VALUE])[0].CannotBeRead);

            // Any key but the trusted one is refused: PKCS#11 v2.40 §4.9, CKR_KEY_NOT_WRAPPABLE.
            var untrusted = session.GenerateKey(Factories.MechanismFactory.Create(CKM.CKM_AES_KEY_GEN), [
                f.Create(CKA.CKA_TOKEN, false),
                f.Create(CKA.CKA_VALUE_LEN, 32UL),
                f.Create(CKA.CKA_WRAP, true),
                f.Create(CKA.CKA_UNWRAP, true),
            ]);
            using var wrap = Factories.MechanismFactory.Create(CKM.CKM_AES_KEY_WRAP_PAD);
            var refused = Assert.Throws<Pkcs11Exception>(() => session.WrapKey(wrap, untrusted, privateKey));
            Assert.Equal(CKR.CKR_KEY_NOT_WRAPPABLE, refused.RV);

            var trusted = session.FindAllObjects([f.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY), f.Create(CKA.CKA_LABEL, TrustedWrappingKey.DefaultLabel)]).Single();
            Assert.NotEmpty(session.WrapKey(wrap, trusted, privateKey));
        }
        finally
        {
            session.DestroyObject(privateKey);
            session.DestroyObject(publicKey);
        }
    }

    [Fact]
    public void The_trusted_wrapping_key_is_trusted_sensitive_and_never_extractable()
    {
        using var session = token.Store.Slot.OpenSession(SessionType.ReadOnly);
        var f = Factories.ObjectAttributeFactory;
        var key = session.FindAllObjects([f.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY), f.Create(CKA.CKA_LABEL, TrustedWrappingKey.DefaultLabel)]).Single();

        var a = session.GetAttributeValue(key, [CKA.CKA_TRUSTED, CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE, CKA.CKA_TOKEN, CKA.CKA_ENCRYPT, CKA.CKA_DECRYPT]);

        Assert.Equal([true, true, false, true, false, false], a.Select(x => x.GetValueAsBool()));
        Assert.True(session.GetAttributeValue(key, [CKA.CKA_VALUE])[0].CannotBeRead);
        // Ensure is idempotent: a second call (another process) finds it. It must not run while this process is logged in
        // as user, so the idempotence is shown by the fixture having found or created exactly one.
    }

    [Fact]
    public void An_altered_blob_is_refused_with_a_clear_error()
    {
        var vault = new WrappedKeyVault(token.Store);
        var key = vault.Generate(KeyAlgorithm.EcP256);
        var tampered = key.Blob.ToArray();
        tampered[^1] ^= 0x01;

        var ex = Assert.Throws<CryptographicException>(() => vault.SignDigest(key with { Blob = tampered }, new byte[32], HashAlgorithmName.SHA256));

        Assert.Contains("altered", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_unwrap_and_sign_is_safe()
    {
        var vault = new WrappedKeyVault(token.Store);
        var keys = Enumerable.Range(0, 16).Select(_ => vault.Generate(KeyAlgorithm.EcP256)).ToArray();
        var failures = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, 800), new ParallelOptions { MaxDegreeOfParallelism = 16 }, (i, cancellationToken) =>
        {
            var key = keys[i % keys.Length];
            var digest = SHA256.HashData(BitConverter.GetBytes(i));
            using var verifier = ECDsa.Create();
            verifier.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo, out _);
            if (!verifier.VerifyHash(digest, vault.SignDigest(key, digest, HashAlgorithmName.SHA256)))
            {
                Interlocked.Increment(ref failures);
            }

            return ValueTask.CompletedTask;
        });

        Assert.Equal(0, failures);
    }

    private int CountObjects()
    {
        using var session = token.Store.Slot.OpenSession(SessionType.ReadOnly);
        return session.FindAllObjects([]).Count;
    }
}
