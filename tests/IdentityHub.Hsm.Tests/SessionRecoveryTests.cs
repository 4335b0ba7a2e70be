using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using Net.Pkcs11Interop.HighLevelAPI;

namespace IdentityHub.Hsm.Tests;

/// <summary>The token can forget sessions, the login and object handles; the store must carry on without a restart.</summary>
[Collection(TokenCollection.Name)]
public sealed class SessionRecoveryTests(TokenFixture token)
{
    [Fact]
    public void A_session_the_token_no_longer_knows_is_replaced_and_the_signature_is_still_made()
    {
        var options = TokenFixture.FromEnvironment();
        options.MaxSessions = 1;
        using var store = HsmKeyStore.Open(options);
        var key = store.Generate("test-session-replaced", KeyAlgorithm.EcP256);

        // Close the pool's only session behind its back: the next C_Sign meets CKR_SESSION_HANDLE_INVALID.
        store.Pool.Use(session =>
        {
            session.CloseSession();
            return 0;
        });

        var digest = SHA256.HashData("after the session closed"u8);
        var signature = key.SignDigest(digest, HashAlgorithmName.SHA256);

        Assert.True(Verify(key, digest, signature));
    }

    [Fact]
    public void Signing_survives_the_token_dropping_every_session_the_login_and_the_handles()
    {
        var key = token.Store.Generate("test-close-all", KeyAlgorithm.EcP384);
        var rsa = token.Store.Generate("test-close-all-rsa", KeyAlgorithm.Rsa2048);

        // PKCS#11 v2.40 §5.5: closing the application's last session logs it out; SoftHSM also forgets every object handle.
        token.Store.Slot.CloseAllSessions();

        var digest = SHA384.HashData("after C_CloseAllSessions"u8);
        Assert.True(Verify(key, digest, key.SignDigest(digest, HashAlgorithmName.SHA384)));
        using var publicRsa = RSA.Create();
        publicRsa.ImportSubjectPublicKeyInfo(rsa.SubjectPublicKeyInfo.Span, out _);
        Assert.True(publicRsa.VerifyHash(digest, rsa.SignDigest(digest, HashAlgorithmName.SHA384, RSASignaturePadding.Pss), HashAlgorithmName.SHA384, RSASignaturePadding.Pss));
        Assert.True(token.Store.InspectProtection(key.KeyId).Sensitive);
        token.Store.CheckHealth();
    }

    [Fact]
    public async Task Many_threads_recover_together_after_the_token_dropped_everything()
    {
        var key = token.Store.Generate("test-close-all-concurrent", KeyAlgorithm.EcP256);
        token.Store.Slot.CloseAllSessions();

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
        {
            var digest = SHA256.HashData(BitConverter.GetBytes(i));
            return Verify(key, digest, key.SignDigest(digest, HashAlgorithmName.SHA256));
        })));

        Assert.All(results, Assert.True);
    }

    [Fact]
    public void A_long_lived_vault_finds_its_wrapping_key_again_after_the_token_dropped_its_handles()
    {
        var vault = new WrappedKeyVault(token.Store);
        var citizen = vault.Generate(KeyAlgorithm.EcP256);
        var digest = SHA256.HashData("before and after"u8);
        Assert.True(VerifySpki(citizen.SubjectPublicKeyInfo, digest, vault.SignDigest(citizen, digest, HashAlgorithmName.SHA256)));

        token.Store.Slot.CloseAllSessions();

        Assert.True(VerifySpki(citizen.SubjectPublicKeyInfo, digest, vault.SignDigest(citizen, digest, HashAlgorithmName.SHA256)));
        var next = vault.Generate(KeyAlgorithm.EcP256);
        Assert.True(VerifySpki(next.SubjectPublicKeyInfo, digest, vault.SignDigest(next, digest, HashAlgorithmName.SHA256)));
    }

    private static bool VerifySpki(byte[] spki, byte[] digest, byte[] signature)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(spki, out _);
        return ecdsa.VerifyHash(digest, signature);
    }

    private static bool Verify(ISigningKey key, byte[] digest, byte[] signature)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo.Span, out _);
        return ecdsa.VerifyHash(digest, signature);
    }
}
