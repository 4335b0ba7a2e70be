using System.Security.Cryptography;
using IdentityHub.Authentication.Diagnostics;
using IdentityHub.Core.Audit;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Authentication.Login;

/// <summary>
/// The password step. Every failure looks the same to the caller: an unknown account, a locked or disabled one, one of
/// the wrong kind and a wrong password all return null after one Argon2id verification (against a hash of a random
/// password when there is no real one), so neither the answer nor its timing tells whether an account exists. The
/// audit log records which failure it was. The attempt counts toward the lock-out before the password is verified
/// (<see cref="AccountLockout.ReserveAsync"/>) and is given back when it was right. A correct password for a hash with old parameters is rehashed (Identity's
/// UserManager does so on SuccessRehashNeeded).
/// </summary>
public sealed class PasswordAuthenticator(
    UserManager<HubAccount> users, IPasswordHasher<HubAccount> hasher, AccountLockout lockout, AuditLog audit, DecoyPasswordHash decoy,
    Passwords.PasswordHashingGate gate, ILogger<PasswordAuthenticator> logger)
{
    public async Task<HubAccount?> CheckAsync(AccountKind kind, string userName, string password, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        var subject = userName.Length > 64 ? userName[..64] : userName;
        var account = await users.FindByNameAsync(userName);
        var reason = account is null ? "unknown-account"
            : account.Kind != kind ? "wrong-kind"
            : account.DisabledAt is not null ? "disabled"
            : account.PasswordHash is null ? "no-password"
            : null;
        // The attempt is counted before the password is checked, in the statement that checks the lock: of a burst of
        // guesses, no more are verified than attempts were left.
        var reservation = reason is null ? await lockout.ReserveAsync(account!, ct) : null;
        if (reason is not null || reservation is not { Reserved: true })
        {
            await gate.RunAsync(() =>
            {
                decoy.Verify(hasher, password);
                return Task.FromResult(true);
            }, ct);
            await FailedAsync(account?.UserName ?? subject, reason ?? "locked-out", ct);
            return null;
        }

        if (!await gate.RunAsync(() => users.CheckPasswordAsync(account!, password), ct))
        {
            var lockedUntil = await lockout.FailedAsync(account!, reservation, ct);
            await FailedAsync(account!.UserName!, lockedUntil is null ? "wrong-password" : "wrong-password-locked", ct);
            return null;
        }

        await lockout.ReleaseAsync(account!, reservation, ct);
        return account;
    }

    private async Task FailedAsync(string subject, string reason, CancellationToken ct)
    {
        await audit.AppendAsync(new AuditEvent("auth.login.failed", "anonymous", subject,
            new Dictionary<string, string> { ["step"] = "password", ["reason"] = reason }), ct);
        logger.LoginStepFailed("password", reason);
        AuthenticationMetrics.Refusals.Add(1, new KeyValuePair<string, object?>("step", "password"));
    }
}

/// <summary>
/// A hash of a random password made with the hub's current Argon2id parameters at start, verified whenever there is
/// no real hash to verify, so a failure costs the same time whatever its cause.
/// </summary>
public sealed class DecoyPasswordHash
{
    private readonly Lazy<string> _hash;

    public DecoyPasswordHash(Microsoft.Extensions.Options.IOptions<Passwords.Argon2idOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var hasher = new Passwords.Argon2idPasswordHasher(options);
        _hash = new Lazy<string>(() => hasher.HashPassword(new HubAccount(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));
    }

    public void Verify(IPasswordHasher<HubAccount> hasher, string password)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        hasher.VerifyHashedPassword(new HubAccount(), _hash.Value, password);
    }
}
