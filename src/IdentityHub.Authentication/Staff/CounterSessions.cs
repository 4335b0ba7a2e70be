using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Diagnostics;
using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Passkeys;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Authentication.Totp;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityHub.Authentication.Staff;

/// <summary>The counter device a request comes from: its API credential and the service point it is bound to.</summary>
public sealed record CounterDevice(Guid CredentialId, string Name, string ServicePoint)
{
    public string Channel => $"api:{Name}@{ServicePoint}";
}

/// <summary>An officer signed in on a counter device, as every enrolment API call sees them.</summary>
public sealed record CounterOfficer(Guid AccountId, string UserName, IReadOnlySet<string> Roles, string ServicePoint, Guid SessionId, string Level, DateTimeOffset ExpiresAt);

public enum CounterSignInStatus
{
    /// <summary>The password was right: the session exists but works only for its second factor, for a few minutes.</summary>
    SecondFactorRequired,

    /// <summary>The officer is signed in on this device.</summary>
    SignedIn,

    Refused,
}

/// <summary>One step of an officer's sign-in on a counter device; <see cref="Error"/> is a stable code when refused.</summary>
public sealed record CounterSignIn(CounterSignInStatus Status, string? Error = null, string? Token = null, CounterOfficer? Officer = null, IReadOnlyList<string>? Methods = null)
{
    public static CounterSignIn Refused(string error) => new(CounterSignInStatus.Refused, error);
}

/// <summary>
/// Officers sign in on a counter device with the hub's own login (password, then a TOTP code or a passkey), and the
/// enrolment API accepts only the short-lived session that makes: a device credential says which desk, the officer
/// session says who sits there (ARCHITECTURE.md, "Officers at the counter"). The session is an accounts.sessions row
/// (audience "counter") bound to the device's credential and service point; the device holds a token
/// "ihos_{session}_{secret}" of which only SHA-256 of the secret is stored. It works only from the device it was made
/// on, only while the officer is enabled, keeps the same roles and stays assigned to that service point, and it ends
/// with the staff idle and absolute timeouts (Authentication:Sessions). Every step is audited.
/// </summary>
public sealed class CounterSessions(
    HubDbContext db,
    UserManager<HubAccount> users,
    PasswordAuthenticator passwords,
    AccountLockout lockout,
    AccountMethods methods,
    TotpAuthenticators totp,
    PasskeyCeremonies passkeys,
    HubSessions sessions,
    AssurancePolicy policy,
    AuditLog audit,
    TimeProvider time,
    IOptions<SessionOptions> options,
    ILogger<CounterSessions> logger)
{
    public const string TokenPrefix = "ihos_";

    /// <summary>How long a password-only session waits for its second factor.</summary>
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(5);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<CounterSignIn> PasswordAsync(CounterDevice device, string userName, string password, HttpContext? http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(device);
        var account = await passwords.CheckAsync(AccountKind.Staff, (userName ?? "").Trim(), password ?? "", ct);
        if (account is null)
        {
            return CounterSignIn.Refused(CounterErrors.WrongCredentials);
        }

        var roles = await RolesAsync(account.Id, ct);
        var refusal = account.MustChangePassword ? CounterErrors.PasswordChangeRequired
            : !roles.Contains(StaffRoles.Officer) && !roles.Contains(StaffRoles.Supervisor) ? CounterErrors.NotAnOfficer
            : !await IsAssignedAsync(account.Id, device.ServicePoint, ct) ? CounterErrors.NotAssigned
            : null;
        var usable = refusal is null ? CounterMethods((await methods.OfAsync(account, ct)).Usable()) : [];
        if (refusal is null && usable.Count == 0)
        {
            refusal = CounterErrors.NoSecondFactor;
        }

        if (refusal is not null)
        {
            await RefusedAsync(account.UserName!, device, "password", refusal, ct);
            return CounterSignIn.Refused(refusal);
        }

        var now = time.GetUtcNow();
        var secret = RandomNumberGenerator.GetBytes(32);
        var authentications = new List<AuthenticationRecord> { new(AuthenticationMethods.Password, now) };
        var session = new SessionRecord
        {
            Id = Guid.NewGuid(),
            AccountId = account.Id,
            Audience = SessionAudiences.Counter,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + PendingLifetime,
            IpAddress = http?.Connection.RemoteIpAddress?.ToString(),
            UserAgent = Trimmed(http?.Request.Headers.UserAgent.ToString(), 300),
            Authentications = JsonSerializer.Serialize(authentications, Json),
            Level = policy.LevelOf(authentications).ToUri(),
            Roles = string.Join(' ', roles.Order(StringComparer.Ordinal)),
            ApiCredentialId = device.CredentialId,
            ServicePoint = device.ServicePoint,
            TokenHash = SHA256.HashData(secret),
        };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);
        db.Entry(session).State = EntityState.Detached;
        await audit.AppendAsync(new AuditEvent("auth.counter.password-accepted", account.UserName!, account.UserName!, Details(device, session.Id)), ct);
        await transaction.CommitAsync(ct);
        var token = $"{TokenPrefix}{session.Id:N}_{Base64Url.EncodeToString(secret)}";
        CryptographicOperations.ZeroMemory(secret);
        return new CounterSignIn(CounterSignInStatus.SecondFactorRequired, Token: token, Methods: usable);
    }

    public async Task<CounterSignIn> TotpAsync(CounterDevice device, string token, string code, CancellationToken ct)
    {
        var (session, account, refusal) = await PendingAsync(device, token, AuthenticationMethods.Totp, ct);
        if (refusal is not null)
        {
            return CounterSignIn.Refused(refusal);
        }

        // The attempt is counted before the code is checked, so a burst after the last allowed failure is refused unchecked.
        var attempt = await lockout.ReserveAsync(account!, ct);
        if (!attempt.Reserved)
        {
            await RefusedAsync(account!.UserName!, device, "totp", CounterErrors.LockedOut, ct);
            return CounterSignIn.Refused(CounterErrors.LockedOut);
        }

        var (check, _) = await totp.VerifyAsync(account!.Id, code ?? "", ct);
        if (check != TotpCheck.Accepted)
        {
            var locked = await lockout.FailedAsync(account, attempt, ct) is not null;
            var error = locked ? CounterErrors.LockedOut : check == TotpCheck.Replayed ? CounterErrors.ReplayedCode : CounterErrors.WrongCode;
            await RefusedAsync(account.UserName!, device, "totp", error, ct);
            return CounterSignIn.Refused(error);
        }

        await lockout.ReleaseAsync(account, attempt, ct);

        return await CompleteAsync(device, session!, account, new AuthenticationRecord(AuthenticationMethods.Totp, time.GetUtcNow()), ct);
    }

    /// <summary>WebAuthn request options for the officer's passkeys (the device's browser answers them on the hub's origin).</summary>
    public async Task<(PasskeyChallenge? Challenge, string? Error)> BeginPasskeyAsync(CounterDevice device, string token, HttpContext http, CancellationToken ct)
    {
        var (_, account, refusal) = await PendingAsync(device, token, AuthenticationMethods.Passkey, ct);
        return refusal is not null ? (null, refusal) : (await passkeys.BeginAssertionAsync(account, requireUserVerification: false, http, ct), null);
    }

    public async Task<CounterSignIn> PasskeyAsync(CounterDevice device, string token, Guid challengeId, string credentialJson, HttpContext http, CancellationToken ct)
    {
        var (session, account, refusal) = await PendingAsync(device, token, AuthenticationMethods.Passkey, ct);
        if (refusal is not null)
        {
            return CounterSignIn.Refused(refusal);
        }

        var outcome = await passkeys.FinishAssertionAsync(account, challengeId, credentialJson ?? "", requireUserVerification: false, http, ct);
        if (!outcome.Succeeded)
        {
            await RefusedAsync(account!.UserName!, device, "passkey", CounterErrors.PasskeyRefused, ct);
            return CounterSignIn.Refused(CounterErrors.PasskeyRefused);
        }

        return await CompleteAsync(device, session!, account!, outcome.Authentication!, ct);
    }

    /// <summary>
    /// The officer a token names, when it is a complete session made on this very device, and the officer still may
    /// act there; otherwise null and, when the token was genuine but misused or stale, the session ends.
    /// </summary>
    public async Task<(CounterOfficer? Officer, string? Error)> ValidateAsync(CounterDevice device, string token, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(device);
        var session = await SessionOfAsync(token, ct);
        if (session is null)
        {
            return (null, CounterErrors.SessionInvalid);
        }

        if (session.ApiCredentialId != device.CredentialId)
        {
            // A genuine token presented by another device: it was copied. The session ends, and that is audited.
            await EndAsync(session, "used-from-another-device", ct);
            await audit.AppendAsync(new AuditEvent("auth.counter.session-misused", device.Channel, AccountNameOf(session),
                new Dictionary<string, string> { ["session"] = session.Id.ToString(), ["madeOn"] = session.ApiCredentialId?.ToString() ?? "", ["usedOn"] = device.CredentialId.ToString() }), ct);
            return (null, CounterErrors.OtherDevice);
        }

        if (LevelOf(session) < LevelOfAssurance.Substantial)
        {
            return (null, CounterErrors.SecondFactorPending);
        }

        // The officer as they are now, in one round trip (every API call pays for it): enabled, same roles, still assigned here.
        var now = (await db.Database.SqlQuery<OfficerNow>($"""
            SELECT u."UserName", u."DisabledAt" IS NOT NULL AS "Disabled",
              coalesce((SELECT string_agg(r."Name", ' ' ORDER BY r."Name" COLLATE "C") FROM accounts.user_roles ur
                        JOIN accounts.roles r ON r."Id" = ur."RoleId" WHERE ur."UserId" = u."Id"), '') AS "Roles",
              EXISTS (SELECT 1 FROM accounts.staff_service_points a WHERE a."AccountId" = u."Id" AND a."ServicePoint" = {device.ServicePoint}) AS "Assigned"
            FROM accounts.users u WHERE u."Id" = {session.AccountId}
            """).ToListAsync(ct)).SingleOrDefault();
        var stale = now is null || now.Disabled ? "disabled"
            : now.Roles != session.Roles ? "roles-changed"
            : !now.Assigned ? "unassigned"
            : null;
        if (stale is not null)
        {
            await EndAsync(session, stale, ct);
            return (null, CounterErrors.SessionInvalid);
        }

        var roles = now!.Roles.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return (new CounterOfficer(session.AccountId, now.UserName, roles, device.ServicePoint, session.Id, session.Level, session.ExpiresAt), null);
    }

    private sealed class OfficerNow
    {
        public string UserName { get; set; } = "";

        public bool Disabled { get; set; }

        public string Roles { get; set; } = "";

        public bool Assigned { get; set; }
    }

    /// <summary>Signs the officer out of the device (the token stops working at once).</summary>
    public async Task<bool> EndAsync(CounterDevice device, string token, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(device);
        var session = await SessionOfAsync(token, ct);
        if (session is null || session.ApiCredentialId != device.CredentialId)
        {
            return false;
        }

        await EndAsync(session, "signed-out", ct);
        await audit.AppendAsync(new AuditEvent("auth.counter.signed-out", AccountNameOf(session), AccountNameOf(session), Details(device, session.Id)), ct);
        return true;
    }

    private async Task<CounterSignIn> CompleteAsync(CounterDevice device, SessionRecord session, HubAccount account, AuthenticationRecord factor, CancellationToken ct)
    {
        var authentications = HubSessions.AuthenticationsOf(session).Append(factor).ToList();
        var level = policy.LevelOf(authentications);
        if (level < LevelOfAssurance.Substantial)
        {
            await RefusedAsync(account.UserName!, device, factor.Method, CounterErrors.SecondFactorPending, ct);
            return CounterSignIn.Refused(CounterErrors.SecondFactorPending);
        }

        var now = time.GetUtcNow();
        var expires = session.CreatedAt + options.Value.StaffAbsoluteLifetime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Only the pending session still waiting for its factor is completed (two racing answers: one wins).
        var completed = await db.Sessions.Where(s => s.Id == session.Id && s.EndedAt == null && s.Level == session.Level)
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.Authentications, JsonSerializer.Serialize(authentications, Json))
                .SetProperty(s => s.Level, level.ToUri())
                .SetProperty(s => s.LastSeenAt, now)
                .SetProperty(s => s.ExpiresAt, expires), ct);
        if (completed != 1)
        {
            return CounterSignIn.Refused(CounterErrors.SessionInvalid);
        }

        await lockout.ResetAsync(account, ct);
        await audit.AppendAsync(new AuditEvent("auth.counter.signed-in", account.UserName!, account.UserName!, new Dictionary<string, string>(Details(device, session.Id))
        {
            ["level"] = level.ToUri(),
            ["amr"] = string.Join(' ', AssurancePolicy.AmrOf(authentications)),
        }), ct);
        await transaction.CommitAsync(ct);
        logger.CounterSignedIn(account.UserName!, device.ServicePoint);
        var roles = session.Roles.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return new CounterSignIn(CounterSignInStatus.SignedIn,
            Officer: new CounterOfficer(account.Id, account.UserName!, roles, device.ServicePoint, session.Id, level.ToUri(), expires));
    }

    /// <summary>The password-only session of this device that waits for <paramref name="method"/>, and its account.</summary>
    private async Task<(SessionRecord? Session, HubAccount? Account, string? Error)> PendingAsync(CounterDevice device, string token, string method, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(device);
        var session = await SessionOfAsync(token, ct);
        if (session is null || session.ApiCredentialId != device.CredentialId)
        {
            return (null, null, CounterErrors.SessionInvalid);
        }

        if (LevelOf(session) >= LevelOfAssurance.Substantial)
        {
            return (null, null, CounterErrors.AlreadySignedIn);
        }

        var account = await users.FindByIdAsync(session.AccountId.ToString());
        if (account is null || account.DisabledAt is not null || lockout.IsLockedOut(account))
        {
            return (null, null, CounterErrors.LockedOut);
        }

        if (!CounterMethods((await methods.OfAsync(account, ct)).Usable()).Contains(method))
        {
            return (null, null, CounterErrors.MethodNotAllowed);
        }

        return (session, account, null);
    }

    /// <summary>The open session a token names, when its secret matches (constant-time), or null.</summary>
    private async Task<SessionRecord?> SessionOfAsync(string token, CancellationToken ct)
    {
        if (!TryParse(token, out var sessionId, out var secret))
        {
            return null;
        }

        var presented = SHA256.HashData(secret);
        CryptographicOperations.ZeroMemory(secret);
        var session = await sessions.ValidateAsync(sessionId, SessionAudiences.Counter, ct);
        return session?.TokenHash is { } stored && CryptographicOperations.FixedTimeEquals(presented, stored) ? session : null;
    }

    private static LevelOfAssurance LevelOf(SessionRecord session) =>
        LevelsOfAssurance.TryParse(session.Level, out var level) ? level : LevelOfAssurance.None;

    private Task<int> EndAsync(SessionRecord session, string reason, CancellationToken ct) => sessions.EndAsync(session.AccountId, session.Id, reason, ct);

    private async Task<HashSet<string>> RolesAsync(Guid accountId, CancellationToken ct) =>
        (await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == accountId select r.Name!).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);

    private Task<bool> IsAssignedAsync(Guid accountId, string servicePoint, CancellationToken ct) =>
        db.StaffServicePoints.AnyAsync(a => a.AccountId == accountId && a.ServicePoint == servicePoint, ct);

    /// <summary>The second factors a counter sign-in offers: a TOTP code, or a passkey (recovery codes are for the console).</summary>
    private static List<string> CounterMethods(IReadOnlySet<string> usable) =>
        [.. new[] { AuthenticationMethods.Totp, AuthenticationMethods.Passkey }.Where(usable.Contains)];

    private async Task RefusedAsync(string userName, CounterDevice device, string step, string error, CancellationToken ct)
    {
        await audit.AppendAsync(new AuditEvent("auth.counter.refused", "anonymous", userName, new Dictionary<string, string>
        {
            ["step"] = step,
            ["reason"] = error,
            ["device"] = device.Name,
            ["servicePoint"] = device.ServicePoint,
        }), ct);
        logger.LoginStepFailed("counter-" + step, error);
    }

    private static Dictionary<string, string> Details(CounterDevice device, Guid sessionId) => new()
    {
        ["device"] = device.Name,
        ["credential"] = device.CredentialId.ToString(),
        ["servicePoint"] = device.ServicePoint,
        ["session"] = sessionId.ToString(),
    };

    private string AccountNameOf(SessionRecord session) =>
        db.Users.AsNoTracking().Where(u => u.Id == session.AccountId).Select(u => u.UserName).FirstOrDefault() ?? session.AccountId.ToString();

    private static string Trimmed(string? value, int max) => (value ?? "").Length > max ? value![..max] : value ?? "";

    private static bool TryParse(string? token, out Guid sessionId, out byte[] secret)
    {
        sessionId = default;
        secret = [];
        if (token is null || !token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return false;
        }

        var parts = token[TokenPrefix.Length..].Split('_', 2);
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out sessionId))
        {
            return false;
        }

        var buffer = new byte[Base64Url.GetMaxDecodedLength(parts[1].Length)];
        if (Base64Url.DecodeFromChars(parts[1], buffer, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
        {
            return false;
        }

        secret = buffer[..written];
        return true;
    }
}

/// <summary>Stable error codes of a counter sign-in, as the enrolment API reports them.</summary>
public static class CounterErrors
{
    public const string WrongCredentials = "wrong_credentials";
    public const string PasswordChangeRequired = "password_change_required";
    public const string NotAnOfficer = "not_an_officer";
    public const string NotAssigned = "not_assigned_here";
    public const string NoSecondFactor = "second_factor_not_set_up";
    public const string LockedOut = "locked_out";
    public const string WrongCode = "wrong_code";
    public const string ReplayedCode = "replayed_code";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string PasskeyRefused = "passkey_refused";
    public const string SessionInvalid = "officer_session_invalid";
    public const string SecondFactorPending = "second_factor_pending";
    public const string AlreadySignedIn = "already_signed_in";
    public const string OtherDevice = "officer_session_of_another_device";
}
