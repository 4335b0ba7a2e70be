using System.Security.Claims;
using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Diagnostics;
using IdentityHub.Authentication.Passkeys;
using IdentityHub.Authentication.Recovery;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Authentication.Totp;
using IdentityHub.Core.Audit;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Authentication.Login;

/// <summary>
/// The steps of a login and of a step-up, for citizens and staff alike: password, then what the level asked for still
/// needs (TOTP, a passkey or a recovery code), or a passkey alone. Each step adds an <see cref="AuthenticationRecord"/>;
/// once the records reach the target level a session starts (or the existing one is lifted) and the cookie is issued.
/// An account without any second factor gets a session in set-up mode, in which only the set-up pages open.
/// </summary>
public sealed class LoginFlow(
    UserManager<HubAccount> users,
    PasswordAuthenticator passwords,
    AccountLockout lockout,
    AccountMethods methods,
    TotpAuthenticators totp,
    RecoveryCodes recoveryCodes,
    PasskeyCeremonies passkeys,
    HubSessions sessions,
    SessionPrincipals principals,
    AssurancePolicy policy,
    LoginStateCookie stateCookie,
    AuditLog audit,
    TimeProvider time,
    ILogger<LoginFlow> logger,
    IEnumerable<IFrontChannelLogout> frontChannels)
{
    private readonly IFrontChannelLogout? _frontChannel = frontChannels.LastOrDefault();

    public LoginState? Current(HttpContext http) => stateCookie.Read(http);

    /// <summary>
    /// The login under way and what it still needs, for the second-step page; null when there is none. Read from the
    /// protected state alone (the steps were worked out when it was written): the next step checks everything again.
    /// </summary>
    public Task<PendingLogin?> PendingAsync(HttpContext http, CancellationToken ct)
    {
        var state = stateCookie.Read(http);
        return Task.FromResult(state is { Steps.Count: > 0 } ? new PendingLogin(state, state.Steps.ToHashSet(StringComparer.Ordinal)) : null);
    }

    public async Task<LoginOutcome> PasswordAsync(HttpContext http, string audience, string userName, string password, LevelOfAssurance target, string? returnUrl, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(userName);
        var account = await passwords.CheckAsync(KindOf(audience), userName.Trim(), password, ct);
        if (account is null)
        {
            return LoginOutcome.Fail(LoginError.WrongCredentials);
        }

        var now = time.GetUtcNow();
        List<AuthenticationRecord> proved = [new(AuthenticationMethods.Password, now)];
        if (account.MustChangePassword)
        {
            // The password is the one-time password an admin or hubctl handed out: this session binds at high.
            proved.Add(new AuthenticationRecord(AuthenticationMethods.OneTimePassword, now));
        }

        return await AdvanceAsync(http, new LoginState(audience, account.Id, proved, target, returnUrl), account, ct);
    }

    /// <summary>
    /// The set-up session at the end of activation: the password just chosen, and the activation letter's code accepted
    /// moments before in this browser (the caller holds the activation cookie), so the session binds at high.
    /// </summary>
    public Task<LoginOutcome> ActivatedAsync(HttpContext http, HubAccount activated, string password, string? returnUrl, CancellationToken ct) =>
        LetterCodeAcceptedAsync(http, activated, password, AuthenticationMethods.ActivationCode, returnUrl, ct);

    /// <summary>
    /// The set-up session at the end of account recovery: the password just chosen with the recovery letter's code,
    /// accepted in this same request, so the session binds at high like activation's.
    /// </summary>
    public Task<LoginOutcome> RecoveredAsync(HttpContext http, HubAccount recovered, string password, string? returnUrl, CancellationToken ct) =>
        LetterCodeAcceptedAsync(http, recovered, password, AuthenticationMethods.RecoveryLetter, returnUrl, ct);

    private async Task<LoginOutcome> LetterCodeAcceptedAsync(HttpContext http, HubAccount holder, string password, string letterMethod, string? returnUrl, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(holder);
        var account = await passwords.CheckAsync(AccountKind.Citizen, holder.UserName!, password, ct);
        if (account is null || account.Id != holder.Id)
        {
            return LoginOutcome.Fail(LoginError.WrongCredentials);
        }

        var now = time.GetUtcNow();
        var state = new LoginState(SessionAudiences.Citizen, account.Id,
            [new(AuthenticationMethods.Password, now), new(letterMethod, now)], policy.DefaultLevel, returnUrl);
        return await AdvanceAsync(http, state, account, ct);
    }

    /// <summary>
    /// The level at which the signed-in session may bind an authenticator of <paramref name="method"/>; None when the
    /// session binds below the level such an authenticator gives (a set-up session opened by a password alone).
    /// </summary>
    public async Task<LevelOfAssurance> BindingLevelForAsync(ClaimsPrincipal user, string method, CancellationToken ct)
    {
        var binding = await BindingLevelAsync(user, ct);
        return binding >= policy.LevelGivenBy(method) ? binding : LevelOfAssurance.None;
    }

    /// <summary>
    /// The level at which the signed-in session may add or remove an authenticator (NIST SP 800-63B §6.1.2.1): see
    /// <see cref="AssurancePolicy.BindingLevel"/>. None when there is no valid session.
    /// </summary>
    public async Task<LevelOfAssurance> BindingLevelAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var audience = user.FindFirst(HubClaimTypes.Audience)?.Value ?? SessionAudiences.Citizen;
        return user.SessionIdOf() is { } sessionId && await sessions.ValidateAsync(sessionId, audience, ct) is { } session
            ? policy.BindingLevel(HubSessions.AuthenticationsOf(session))
            : LevelOfAssurance.None;
    }

    /// <summary>Begins lifting the signed-in session to <paramref name="target"/>; Complete when it is there already.</summary>
    public async Task<LoginOutcome> StartStepUpAsync(HttpContext http, ClaimsPrincipal user, LevelOfAssurance target, string? returnUrl, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var audience = user.FindFirst(HubClaimTypes.Audience)?.Value ?? SessionAudiences.Citizen;
        if (user.SessionIdOf() is not { } sessionId || user.AccountIdOf() is not { } accountId
            || await sessions.ValidateAsync(sessionId, audience, ct) is not { } session
            || await users.FindByIdAsync(accountId.ToString()) is not { } account)
        {
            return LoginOutcome.Fail(LoginError.NoLoginInProgress);
        }

        var authentications = HubSessions.AuthenticationsOf(session);
        if (policy.LevelOf(authentications) >= target)
        {
            return new LoginOutcome(LoginStatus.Complete, ReturnUrl: returnUrl);
        }

        var state = new LoginState(audience, accountId, authentications, target, returnUrl, sessionId);
        return await AdvanceAsync(http, state, account, ct);
    }

    public async Task<LoginOutcome> TotpAsync(HttpContext http, string code, CancellationToken ct)
    {
        var (state, account, refusal, known, attempt) = await ResumeAsync(http, AuthenticationMethods.Totp, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var (check, _) = await totp.VerifyAsync(account!.Id, code, ct);
        if (check != TotpCheck.Accepted)
        {
            var locked = await lockout.FailedAsync(account, attempt!, ct) is not null;
            await StepFailedAsync(account, "totp", check == TotpCheck.Replayed ? "totp-replayed" : "totp-wrong", ct);
            return LoginOutcome.Fail(locked ? LoginError.LockedOut : check == TotpCheck.Replayed ? LoginError.ReplayedCode : LoginError.WrongCode);
        }

        await lockout.ReleaseAsync(account, attempt!, ct);
        return await AdvanceAsync(http, state! with { Authentications = [.. state.Authentications, new(AuthenticationMethods.Totp, time.GetUtcNow())] }, account, ct, known);
    }

    public async Task<LoginOutcome> RecoveryCodeAsync(HttpContext http, string code, CancellationToken ct)
    {
        var (state, account, refusal, _, attempt) = await ResumeAsync(http, AuthenticationMethods.RecoveryCode, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!await recoveryCodes.RedeemAsync(account!.Id, code, ct))
        {
            var locked = await lockout.FailedAsync(account, attempt!, ct) is not null;
            await StepFailedAsync(account, "recovery-code", "recovery-code-wrong", ct);
            return LoginOutcome.Fail(locked ? LoginError.LockedOut : LoginError.WrongRecoveryCode);
        }

        await lockout.ReleaseAsync(account, attempt!, ct);
        var left = await recoveryCodes.RemainingAsync(account.Id, ct);
        await audit.AppendAsync(new AuditEvent("auth.recovery-code.used", account.UserName!, account.UserName!,
            new Dictionary<string, string> { ["remaining"] = left.ToString(System.Globalization.CultureInfo.InvariantCulture) }), ct);
        return await AdvanceAsync(http, state! with { Authentications = [.. state.Authentications, new(AuthenticationMethods.RecoveryCode, time.GetUtcNow())] }, account, ct);
    }

    /// <summary>Passkey options: for the account of the login under way, or for a passkey-first login when there is none.</summary>
    public async Task<PasskeyChallenge> BeginPasskeyAsync(HttpContext http, bool passkeyFirst, CancellationToken ct)
    {
        var state = passkeyFirst ? null : stateCookie.Read(http);
        var account = state is null ? null : await users.FindByIdAsync(state.AccountId.ToString());
        return await passkeys.BeginAssertionAsync(account, RequiresUserVerification(account is null ? null : state), http, ct);
    }

    /// <summary>
    /// A passkey must verify its user when it is the only factor (no login under way: it names the account), when the
    /// level sought is high, and when no rule that would move the login on accepts a passkey without it.
    /// </summary>
    private static bool RequiresUserVerification(LoginState? state) =>
        state is null || state.Target >= LevelOfAssurance.High || state.Steps?.Contains(AuthenticationMethods.Passkey, StringComparer.Ordinal) != true;

    /// <summary>
    /// Finishes a passkey step. With a login under way it is that account's next step; with none (passkeyFirst) the
    /// passkey names the account, and must verify its user, since it is then the only factor.
    /// </summary>
    public async Task<LoginOutcome> PasskeyAsync(HttpContext http, string audience, bool passkeyFirst, Guid challengeId, string credentialJson, LevelOfAssurance target, string? returnUrl, CancellationToken ct)
    {
        LoginState? state = null;
        HubAccount? account = null;
        if (!passkeyFirst)
        {
            (state, account, var refusal, _, _) = await ResumeAsync(http, AuthenticationMethods.Passkey, ct);
            if (refusal is not null)
            {
                return refusal;
            }
        }

        var requireUv = RequiresUserVerification(passkeyFirst ? null : state);
        var outcome = await passkeys.FinishAssertionAsync(account, challengeId, credentialJson, requireUv, http, ct);
        if (!outcome.Succeeded)
        {
            return new LoginOutcome(LoginStatus.Failed, LoginError.Passkey, PasskeyError: outcome.Error);
        }

        account = outcome.Account!;
        if (passkeyFirst)
        {
            if (account.Kind != KindOf(audience) || account.DisabledAt is not null || lockout.IsLockedOut(account))
            {
                await StepFailedAsync(account, "passkey", account.Kind != KindOf(audience) ? "wrong-kind" : "locked-or-disabled", ct);
                return LoginOutcome.Fail(LoginError.WrongCredentials);
            }

            state = new LoginState(audience, account.Id, [], target, returnUrl);
        }

        return await AdvanceAsync(http, state! with { Authentications = [.. state.Authentications, outcome.Authentication!] }, account, ct);
    }

    /// <summary>
    /// A factor just registered (its code or passkey verified) counts as used in the current session — but never lifts
    /// the session above the level it binds at (NIST SP 800-63B §6.1.2.1: registering an authenticator is no way to
    /// reach a higher level): it is added, capped by <see cref="AssurancePolicy.Capped"/>, and the cookie re-issued,
    /// without the set-up mark once that is done.
    /// </summary>
    public async Task RecordNewFactorAsync(HttpContext http, ClaimsPrincipal user, AuthenticationRecord authentication, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var audience = user.FindFirst(HubClaimTypes.Audience)?.Value ?? SessionAudiences.Citizen;
        if (user.SessionIdOf() is { } sessionId && user.AccountIdOf() is { } accountId
            && await sessions.ValidateAsync(sessionId, audience, ct) is { } session
            && await users.FindByIdAsync(accountId.ToString()) is { } account)
        {
            var held = HubSessions.AuthenticationsOf(session);
            var updated = policy.Capped(held, authentication, policy.BindingLevel(held)) is { } capped
                ? await sessions.ReplaceAuthenticationsAsync(sessionId, [.. held, capped], ct)
                : session;
            await SignInAsync(http, account, updated, await methods.OfAsync(account, ct));
        }
    }

    /// <summary>After an authenticator was added in set-up mode: re-issues the cookie without the set-up mark when it is done.</summary>
    public async Task RefreshAsync(HttpContext http, ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var audience = user.FindFirst(HubClaimTypes.Audience)?.Value ?? SessionAudiences.Citizen;
        if (user.SessionIdOf() is { } sessionId && user.AccountIdOf() is { } accountId
            && await sessions.ValidateAsync(sessionId, audience, ct) is { } session
            && await users.FindByIdAsync(accountId.ToString()) is { } account)
        {
            await SignInAsync(http, account, session, await methods.OfAsync(account, ct));
        }
    }

    public async Task SignOutAsync(HttpContext http, ClaimsPrincipal user, CancellationToken ct) => await SignOutAsync(http, user, null, null, ct);

    /// <summary>
    /// Ends the cookie's session and the cookie. With <paramref name="returnUrl"/> (a local path), a citizen's session
    /// also ends at the agencies told through the browser (SAML Single Logout): the result is then the hub page the
    /// browser goes to first, which leads on to <paramref name="returnUrl"/>; null when there is nothing to visit.
    /// <paramref name="initiatingClient"/>: the OIDC client whose logout request ends the session, when one does.
    /// </summary>
    public async Task<string?> SignOutAsync(HttpContext http, ClaimsPrincipal user, string? returnUrl, string? initiatingClient, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(user);
        var audience = user.FindFirst(HubClaimTypes.Audience)?.Value ?? SessionAudiences.Citizen;
        string? next = null;
        if (user.SessionIdOf() is { } sessionId && user.AccountIdOf() is { } accountId)
        {
            if (_frontChannel is not null && returnUrl is not null && audience == SessionAudiences.Citizen)
            {
                next = await _frontChannel.EndAsync(http, accountId, sessionId, "signed-out", returnUrl, initiatingClient, ct);
            }
            else
            {
                await sessions.EndAsync(accountId, sessionId, "signed-out", ct);
            }

            await audit.AppendAsync(new AuditEvent("auth.signout", user.Identity?.Name ?? "?", user.Identity?.Name ?? "?",
                new Dictionary<string, string> { ["audience"] = audience }), ct);
        }

        await http.SignOutAsync(HubSchemes.Of(audience));
        return next;
    }

    /// <summary>
    /// The login under way, checked for the next step. A code (app or recovery) is a guess: its attempt is counted
    /// before it is checked, in the statement that checks the lock (<see cref="AccountLockout.ReserveAsync"/>), so a
    /// burst of codes gets no more checks than attempts were left. A passkey is not a guess and is not counted.
    /// </summary>
    private async Task<(LoginState? State, HubAccount? Account, LoginOutcome? Refusal, AccountMethodSet? Methods, AttemptReservation? Attempt)> ResumeAsync(
        HttpContext http, string method, CancellationToken ct)
    {
        var state = stateCookie.Read(http);
        var account = state is null ? null : await users.FindByIdAsync(state.AccountId.ToString());
        if (state is null || account is null)
        {
            return (null, null, LoginOutcome.Fail(LoginError.NoLoginInProgress), null, null);
        }

        if (account.DisabledAt is not null || lockout.IsLockedOut(account))
        {
            await StepFailedAsync(account, method, "locked-or-disabled", ct);
            return (null, null, LoginOutcome.Fail(LoginError.LockedOut), null, null);
        }

        var accountMethods = await methods.OfAsync(account, ct);
        if (method != AuthenticationMethods.Passkey && !accountMethods.Usable().Contains(method))
        {
            await StepFailedAsync(account, method, "method-not-allowed", ct);
            return (null, null, LoginOutcome.Fail(LoginError.MethodNotAllowed), null, null);
        }

        AttemptReservation? attempt = null;
        if (method != AuthenticationMethods.Passkey && !(attempt = await lockout.ReserveAsync(account, ct)).Reserved)
        {
            await StepFailedAsync(account, method, "locked-or-disabled", ct);
            return (null, null, LoginOutcome.Fail(LoginError.LockedOut), null, null);
        }

        return (state, account, null, accountMethods, attempt);
    }

    private async Task<LoginOutcome> AdvanceAsync(HttpContext http, LoginState state, HubAccount account, CancellationToken ct, AccountMethodSet? known = null)
    {
        var accountMethods = known ?? await methods.OfAsync(account, ct);
        if (!accountMethods.MaySignIn)
        {
            LoginStateCookie.Clear(http);
            await StepFailedAsync(account, "eid", "eid-not-active", ct);
            return LoginOutcome.Fail(LoginError.EidNotActive);
        }

        var usable = accountMethods.Usable();
        var missing = policy.Missing(state.Authentications, state.Target, usable);
        if (missing is { Count: > 0 })
        {
            stateCookie.Write(http, state with { Steps = [.. policy.NextSteps(state.Authentications, state.Target, usable)] });
            return new LoginOutcome(LoginStatus.NeedsMore);
        }

        if (missing is null && (accountMethods.HasSecondFactor || state.SessionId is not null))
        {
            LoginStateCookie.Clear(http);
            await StepFailedAsync(account, "level", "level-unreachable:" + state.Target.ToUri(), ct);
            return LoginOutcome.Fail(LoginError.LevelUnreachable);
        }

        // The level is reached — or the account has no second factor yet and gets a set-up session.
        var session = state.SessionId is { } sessionId
            ? await sessions.ReplaceAuthenticationsAsync(sessionId, state.Authentications, ct)
            : await sessions.StartAsync(account, state.Audience, state.Authentications, http, ct);
        await SignInAsync(http, account, session, accountMethods);
        LoginStateCookie.Clear(http);
        await lockout.ResetAsync(account, ct);
        var level = policy.LevelOf(state.Authentications);
        await audit.AppendAsync(new AuditEvent(state.SessionId is null ? "auth.login.succeeded" : "auth.stepup.succeeded", account.UserName!, account.UserName!,
            new Dictionary<string, string>
            {
                ["audience"] = state.Audience,
                ["level"] = level.ToUri(),
                ["methods"] = string.Join(' ', state.Authentications.Select(a => a.Method)),
                ["amr"] = string.Join(' ', AssurancePolicy.AmrOf(state.Authentications)),
                ["session"] = session.Id.ToString(),
                ["setup"] = accountMethods.HasSecondFactor ? "false" : "true",
            }), ct);
        logger.LoginSucceeded(account.UserName!, state.Audience, level.ToUri());
        AuthenticationMetrics.Logins.Add(1, new KeyValuePair<string, object?>("audience", state.Audience), new KeyValuePair<string, object?>("level", level.ToString()));
        return new LoginOutcome(LoginStatus.Complete, ReturnUrl: state.ReturnUrl);
    }

    private async Task SignInAsync(HttpContext http, HubAccount account, SessionRecord session, AccountMethodSet accountMethods)
    {
        var setup = !accountMethods.HasSecondFactor ? HubClaimTypes.SetupSecondFactor
            : accountMethods.IsAdmin && accountMethods.Passkeys == 0 ? HubClaimTypes.SetupPasskey
            : null;
        var principal = await principals.CreateAsync(account, session, setup);
        await http.SignInAsync(HubSchemes.Of(session.Audience), principal, new AuthenticationProperties { IsPersistent = false, AllowRefresh = false });
    }

    private async Task StepFailedAsync(HubAccount account, string step, string reason, CancellationToken ct)
    {
        await audit.AppendAsync(new AuditEvent("auth.login.failed", "anonymous", account.UserName!,
            new Dictionary<string, string> { ["step"] = step, ["reason"] = reason }), ct);
        logger.LoginStepFailed(step, reason);
        AuthenticationMetrics.Refusals.Add(1, new KeyValuePair<string, object?>("step", step));
    }

    private static AccountKind KindOf(string audience) => audience == SessionAudiences.Staff ? AccountKind.Staff : AccountKind.Citizen;
}
