using IdentityHub.Authentication.Passwords;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityHub.Authentication.Tests;

public sealed class Argon2idPasswordHasherTests
{
    private static readonly HubAccount Account = new() { UserName = "olga" };

    private static Argon2idPasswordHasher Hasher(int memoryKiB = Argon2idOptions.MinimumMemoryKiB, int iterations = Argon2idOptions.MinimumIterations) =>
        new(Options.Create(new Argon2idOptions { MemoryKiB = memoryKiB, Iterations = iterations }));

    [Fact]
    public void A_hash_is_an_Argon2id_PHC_string_with_the_configured_costs_and_a_fresh_salt()
    {
        var first = Hasher().HashPassword(Account, "correct horse battery staple");
        var second = Hasher().HashPassword(Account, "correct horse battery staple");

        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.DoesNotContain("correct horse", first, StringComparison.Ordinal);
    }

    [Fact]
    public void The_right_password_verifies_and_a_wrong_one_does_not()
    {
        var hash = Hasher().HashPassword(Account, "Žofia's pässwörd, long enough");

        Assert.Equal(PasswordVerificationResult.Success, Hasher().VerifyHashedPassword(Account, hash, "Žofia's pässwörd, long enough"));
        Assert.Equal(PasswordVerificationResult.Failed, Hasher().VerifyHashedPassword(Account, hash, "Zofia's passwort, long enough"));
        // One character of the hash changed, one that carries six bits of it (the last one carries only two).
        var at = hash.Length - 5;
        var tampered = hash[..at] + (hash[at] == 'A' ? 'B' : 'A') + hash[(at + 1)..];
        Assert.Equal(PasswordVerificationResult.Failed, Hasher().VerifyHashedPassword(Account, tampered, "Žofia's pässwörd, long enough"));
    }

    [Fact]
    public void Raised_costs_ask_for_a_rehash_of_older_hashes()
    {
        var hash = Hasher().HashPassword(Account, "correct horse battery staple");

        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, Hasher(iterations: 3).VerifyHashedPassword(Account, hash, "correct horse battery staple"));
        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, Hasher(memoryKiB: 32 * 1024).VerifyHashedPassword(Account, hash, "correct horse battery staple"));
        Assert.Equal(PasswordVerificationResult.Failed, Hasher(iterations: 3).VerifyHashedPassword(Account, hash, "wrong horse battery staple"));
    }

    [Fact]
    public void A_PBKDF2_hash_from_before_verifies_once_and_asks_to_move_to_Argon2id()
    {
        var legacy = new PasswordHasher<HubAccount>().HashPassword(Account, "correct horse battery staple");

        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, Hasher().VerifyHashedPassword(Account, legacy, "correct horse battery staple"));
        Assert.Equal(PasswordVerificationResult.Failed, Hasher().VerifyHashedPassword(Account, legacy, "wrong horse battery staple"));
    }
}
