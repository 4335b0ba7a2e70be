using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Recovery;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Core.Audit;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Citizen.Account;

/// <summary>The citizen's account: authenticators (rename, remove), recovery codes, and open sessions (end one, or all others).</summary>
internal sealed class IndexModel(
    UserManager<HubAccount> users, Authenticators authenticators, RecoveryCodes recoveryCodes, HubSessions sessions, AuditLog audit, IStringLocalizer<Texts> t) : PageModel
{
    public IReadOnlyList<AuthenticatorView> Authenticators { get; private set; } = [];

    public IReadOnlyList<SessionRecord> Sessions { get; private set; } = [];

    public int RecoveryCodesLeft { get; private set; }

    public Guid? CurrentSessionId => User.SessionIdOf();

    public LevelOfAssurance Level => User.LevelOf();

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

        var refusal = await authenticators.RemoveAsync(account, Kind ?? "", Id ?? "", ct);
        if (refusal is not null)
        {
            ModelState.AddModelError("authenticators", refusal);
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
        RecoveryCodesLeft = await recoveryCodes.RemainingAsync(account.Id, ct);
        return Page();
    }
}
