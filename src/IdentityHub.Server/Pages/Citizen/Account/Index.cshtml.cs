using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Notices;
using IdentityHub.Authentication.Recovery;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Core.Audit;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using IdentityHub.Oidc.BackChannelLogout;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Citizen.Account;

/// <summary>
/// The citizen's account: authenticators (rename, remove — removal needs a session at the level the authenticator gives),
/// recovery codes, open sessions (end one, or all others) and recent security activity (notices, newest first).
/// </summary>
internal sealed class IndexModel(
    UserManager<HubAccount> users, Authenticators authenticators, RecoveryCodes recoveryCodes, HubSessions sessions, SecurityNotices notices, AuditLog audit,
    AccountMethods methods, AssurancePolicy policy, SessionClients sessionClients, IStringLocalizer<Texts> t) : PageModel
{
    /// <summary>How many notices "Recent security activity" shows.</summary>
    public const int NoticesShown = 6;

    public IReadOnlyList<AuthenticatorView> Authenticators { get; private set; } = [];

    public IReadOnlyList<SecurityNotice> Notices { get; private set; } = [];

    public IReadOnlyList<SessionRecord> Sessions { get; private set; } = [];

    /// <summary>The agencies (OpenID Connect clients) each session signed in to: ending the session tells each of them.</summary>
    public IReadOnlyDictionary<Guid, IReadOnlyList<SessionAgency>> Agencies { get; private set; } = new Dictionary<Guid, IReadOnlyList<SessionAgency>>();

    public int RecoveryCodesLeft { get; private set; }

    public Guid? CurrentSessionId => User.SessionIdOf();

    public LevelOfAssurance Level => User.LevelOf();

    /// <summary>
    /// Something the citizen has can reach level high (with the hub's default mapping: a passkey whose attestation the
    /// hub trusts, bound at high). Only then does the page offer to raise the session to high; otherwise the offer
    /// would only lead to a refusal.
    /// </summary>
    public bool CanReachHigh { get; private set; }

    public string? Message { get; private set; }

    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? Id { get; set; }

    [BindProperty]
    public Guid SessionId { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Message = TempData["AccountMessage"] is string key ? t["Account.Message." + key].Value : null;
        return await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostRemoveAsync(CancellationToken ct)
    {
        var account = await users.GetUserAsync(User);
        if (account is null)
        {
            return Forbid();
        }

        var result = await authenticators.RemoveAsync(account, Kind ?? "", Id ?? "", Level, ct);
        if (result.Change == AuthenticatorChange.NeedsLevel)
        {
            // NIST SP 800-63B §6.1.2.1: confirm it is you at the level this authenticator gives, then remove it.
            return Redirect($"/account/step-up?level={result.Level.ToString().ToLowerInvariant()}&returnUrl=%2Faccount");
        }

        if (!result.Succeeded)
        {
            ModelState.AddModelError("authenticators", t["Account.Change." + result.Change]);
            return await LoadAsync(ct);
        }

        TempData["AccountMessage"] = "removed";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEndSessionAsync(CancellationToken ct)
    {
        if (User.AccountIdOf() is not { } accountId || SessionId == CurrentSessionId)
        {
            return RedirectToPage();
        }

        if (await sessions.EndAsync(accountId, SessionId, "ended-by-user", ct) == 1)
        {
            await audit.AppendAsync(new AuditEvent("auth.session.ended", User.Identity!.Name!, User.Identity.Name!,
                new Dictionary<string, string> { ["session"] = SessionId.ToString() }), ct);
        }

        TempData["AccountMessage"] = "session-ended";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEndOthersAsync(CancellationToken ct)
    {
        if (User.AccountIdOf() is { } accountId && CurrentSessionId is { } keep)
        {
            var ended = await sessions.EndOthersAsync(accountId, keep, "ended-by-user", ct);
            await audit.AppendAsync(new AuditEvent("auth.session.ended-others", User.Identity!.Name!, User.Identity.Name!,
                new Dictionary<string, string> { ["count"] = ended.ToString(System.Globalization.CultureInfo.InvariantCulture) }), ct);
        }

        TempData["AccountMessage"] = "sessions-ended";
        return RedirectToPage();
    }

    public string DeviceOf(SessionRecord session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var agent = session.UserAgent ?? "";
        var browser = agent.Contains("Firefox", StringComparison.Ordinal) ? "Firefox"
            : agent.Contains("Edg/", StringComparison.Ordinal) ? "Edge"
            : agent.Contains("Chrome", StringComparison.Ordinal) ? "Chrome"
            : agent.Contains("Safari", StringComparison.Ordinal) ? "Safari"
            : t["Account.UnknownBrowser"];
        return $"{browser} ({session.IpAddress ?? "?"})";
    }

    /// <summary>A notice in plain words: a text per kind and authenticator type, a text per kind, or a general one.</summary>
    public string NoticeText(SecurityNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var name = notice.Details.TryGetValue("name", out var n) ? n : "";
        foreach (var key in new[] { $"Notice.{notice.Kind}.{(notice.Details.TryGetValue("factor", out var f) ? f : "")}", "Notice." + notice.Kind })
        {
            var text = t[key, name];
            if (!text.ResourceNotFound)
            {
                return text.Value;
            }
        }

        return t["Notice.Other"];
    }

    public static string LevelName(string uri) => LevelsOfAssurance.TryParse(uri, out var level) ? level.ToString() : LevelOfAssurance.None.ToString();

    private async Task<IActionResult> LoadAsync(CancellationToken ct)
    {
        var account = await users.GetUserAsync(User);
        if (account is null)
        {
            return Forbid();
        }

        Authenticators = await authenticators.ListAsync(account, ct);
        Sessions = await sessions.ListOpenAsync(account.Id, ct);
        Agencies = await sessionClients.OfSessionsAsync([.. Sessions.Select(s => s.Id)], ct);
        RecoveryCodesLeft = await recoveryCodes.RemainingAsync(account.Id, ct);
        CanReachHigh = policy.Missing([], LevelOfAssurance.High, (await methods.OfAsync(account, ct)).Usable()) is not null;
        Notices = await notices.RecentAsync(account.Id, NoticesShown, ct);
        return Page();
    }
}
