using System.Security.Cryptography;
using System.Text;
using Geralt;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityHub.Authentication.Passwords;

/// <summary>
/// Identity's password hasher on Argon2id (libsodium crypto_pwhash_str through Geralt): the stored form is the PHC string
/// "$argon2id$v=19$m=…,t=…,p=1$salt$hash", so the cost travels with each hash. A hash made with other costs, or one of
/// Identity's PBKDF2 hashes from before, verifies and answers SuccessRehashNeeded: UserManager then stores a new
/// Argon2id hash with the current costs (NIST SP 800-63B §5.1.1.2).
/// </summary>
public sealed class Argon2idPasswordHasher(IOptions<Argon2idOptions> options) : IPasswordHasher<HubAccount>
{
    private const string Prefix = "$argon2id$";
    private static readonly PasswordHasher<HubAccount> Legacy = new();

    public string HashPassword(HubAccount user, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var settings = options.Value;
        Span<char> hash = stackalloc char[Argon2id.HashSize];
        var bytes = Encoding.UTF8.GetBytes(password);
        try
        {
            Argon2id.ComputeHash(hash, bytes, settings.Iterations, settings.MemoryKiB * 1024);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }

        // libsodium writes a NUL-terminated PHC string into the fixed-size buffer.
        var end = hash.IndexOf('\0');
        return new string(end < 0 ? hash : hash[..end]);
    }

    public PasswordVerificationResult VerifyHashedPassword(HubAccount user, string hashedPassword, string providedPassword)
    {
        ArgumentNullException.ThrowIfNull(hashedPassword);
        ArgumentNullException.ThrowIfNull(providedPassword);
        if (!hashedPassword.StartsWith(Prefix, StringComparison.Ordinal))
        {
            // An account from before Argon2id: still accepted once, and moved to Argon2id by the rehash.
            return Legacy.VerifyHashedPassword(user, hashedPassword, providedPassword) == PasswordVerificationResult.Failed
                ? PasswordVerificationResult.Failed
                : PasswordVerificationResult.SuccessRehashNeeded;
        }

        Diagnostics.AuthenticationMetrics.PasswordVerifications.Add(1);
        var settings = options.Value;
        if (hashedPassword.Length >= Argon2id.HashSize)
        {
            return PasswordVerificationResult.Failed;
        }

        var hash = hashedPassword.AsSpan();
        var bytes = Encoding.UTF8.GetBytes(providedPassword);
        try
        {
            if (!Argon2id.VerifyHash(hash, bytes))
            {
                return PasswordVerificationResult.Failed;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }

        return Argon2id.NeedsRehash(hash, settings.Iterations, settings.MemoryKiB * 1024)
            ? PasswordVerificationResult.SuccessRehashNeeded
            : PasswordVerificationResult.Success;
    }
}
