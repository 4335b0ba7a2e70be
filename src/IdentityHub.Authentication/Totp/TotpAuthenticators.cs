using System.Security.Cryptography;
using System.Text.Json;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using OtpNet;

namespace IdentityHub.Authentication.Totp;

/// <summary>What checking a TOTP code found.</summary>
public enum TotpCheck
{
    Accepted,

    /// <summary>Not the code of any of the account's apps for this time step or one either side.</summary>
    Wrong,

    /// <summary>The code of a time step that was already used (or an earlier one): RFC 6238 §5.2 allows one use.</summary>
    Replayed,
}

/// <summary>A TOTP app being set up: its secret travels protected in the form until the first code confirms it.</summary>
public sealed record TotpEnrolment(string Secret, string ProtectedState, string OtpAuthUri);

/// <summary>
/// TOTP apps (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps, what authenticator apps implement), several per account,
/// each with its own name. A code is accepted for the current step or one step either side (§5.2, clock drift) and
/// only once: the accepted step is stored with a conditional UPDATE, so two sign-ins racing with one code cannot both
/// succeed, on any node. Secrets are kept protected by the Data Protection key ring, never in clear.
/// </summary>
public sealed class TotpAuthenticators(HubDbContext db, IDataProtectionProvider protection, AuditLog audit, TimeProvider time)
{
    public const int Digits = 6;
    public const int StepSeconds = 30;
    private const string Issuer = "IdentityHub";
    private static readonly TimeSpan EnrolmentLifetime = TimeSpan.FromMinutes(20);

    private IDataProtector SecretProtector => protection.CreateProtector("IdentityHub.Totp.Secret.v1");

    private ITimeLimitedDataProtector EnrolmentProtector => protection.CreateProtector("IdentityHub.Totp.Enrolment.v1").ToTimeLimitedDataProtector();

    /// <summary>A new 160-bit secret (RFC 4226 §4 recommends 160 bits) for <paramref name="account"/>, not yet stored.</summary>
    public TotpEnrolment Begin(HubAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var secret = RandomNumberGenerator.GetBytes(20);
        var base32 = Base32Encoding.ToString(secret).TrimEnd('=');
        var state = EnrolmentProtector.Protect(JsonSerializer.Serialize(new EnrolmentState(account.Id, base32)), EnrolmentLifetime);
        CryptographicOperations.ZeroMemory(secret);
        return new TotpEnrolment(base32, state, OtpAuthUri(account, base32));
    }

    /// <summary>Reads a pending enrolment back from the form; null when altered, expired or for another account.</summary>
    public TotpEnrolment? Resume(HubAccount account, string? protectedState)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (string.IsNullOrEmpty(protectedState))
        {
            return null;
        }

        try
        {
            var state = JsonSerializer.Deserialize<EnrolmentState>(EnrolmentProtector.Unprotect(protectedState, out _));
            if (state is null || state.AccountId != account.Id)
            {
                return null;
            }

            return new TotpEnrolment(state.Secret, protectedState, OtpAuthUri(account, state.Secret));
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Stores the app once a code from it verifies; the code's step counts as used. Null when the code is wrong.</summary>
    public async Task<TotpAuthenticatorRecord?> ConfirmAsync(HubAccount account, TotpEnrolment enrolment, string name, string code, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(enrolment);
        var secret = Base32Encoding.ToBytes(enrolment.Secret);
        try
        {
            if (StepOf(secret, code) is not { } step)
            {
                return null;
            }

            var now = time.GetUtcNow();
            var record = new TotpAuthenticatorRecord
            {
                Id = Guid.CreateVersion7(now),
                AccountId = account.Id,
                Name = string.IsNullOrWhiteSpace(name) ? "Authenticator app" : name.Trim()[..Math.Min(name.Trim().Length, 100)],
                ProtectedSecret = SecretProtector.Protect(secret),
                CreatedAt = now,
                LastUsedStep = step,
                LastUsedAt = now,
            };
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.TotpAuthenticators.Add(record);
            AccountNotices.Add(db, account.Id, Notices.NoticeKinds.FactorAdded, now, new Dictionary<string, string> { ["factor"] = "totp", ["name"] = record.Name });
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(new AuditEvent("auth.factor.added", account.UserName!, account.UserName!,
                new Dictionary<string, string> { ["factor"] = "totp", ["name"] = record.Name }), ct);
            await transaction.CommitAsync(ct);
            return record;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Checks a code against each of the account's apps; an accepted code's step is used up.</summary>
    public async Task<(TotpCheck Result, TotpAuthenticatorRecord? Authenticator)> VerifyAsync(Guid accountId, string code, CancellationToken ct)
    {
        var authenticators = await db.TotpAuthenticators.AsNoTracking().Where(t => t.AccountId == accountId).ToListAsync(ct);
        var replayed = false;
        foreach (var authenticator in authenticators)
        {
            var secret = SecretProtector.Unprotect(authenticator.ProtectedSecret);
            var step = StepOf(secret, code);
            CryptographicOperations.ZeroMemory(secret);
            if (step is null)
            {
                continue;
            }

            var now = time.GetUtcNow();
            var used = await db.TotpAuthenticators
                .Where(t => t.Id == authenticator.Id && (t.LastUsedStep == null || t.LastUsedStep < step))
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.LastUsedStep, step).SetProperty(t => t.LastUsedAt, now), ct);
            if (used == 1)
            {
                return (TotpCheck.Accepted, authenticator);
            }

            replayed = true;
        }

        return (replayed ? TotpCheck.Replayed : TotpCheck.Wrong, null);
    }

    public async Task<IReadOnlyList<TotpAuthenticatorRecord>> ListAsync(Guid accountId, CancellationToken ct) =>
        await db.TotpAuthenticators.AsNoTracking().Where(t => t.AccountId == accountId).OrderBy(t => t.CreatedAt).ToListAsync(ct);

    /// <summary>The time step the code belongs to (current, or one either side), or null.</summary>
    private long? StepOf(byte[] secret, string? code)
    {
        var digits = (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (digits.Length != Digits || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }

        var totp = new OtpNet.Totp(secret, StepSeconds, OtpHashMode.Sha1, Digits);
        return totp.VerifyTotp(time.GetUtcNow().UtcDateTime, digits, out var step, new VerificationWindow(previous: 1, future: 1)) ? step : null;
    }

    /// <summary>The key-URI format authenticator apps read from the QR code (issuer, account, secret and the RFC 6238 parameters).</summary>
    private static string OtpAuthUri(HubAccount account, string base32Secret) =>
        $"otpauth://totp/{Uri.EscapeDataString($"{Issuer}:{account.UserName}")}?secret={base32Secret}&issuer={Issuer}&algorithm=SHA1&digits={Digits}&period={StepSeconds}";

    private sealed record EnrolmentState(Guid AccountId, string Secret);
}
