using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Authentication.Totp;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Shared.Security;

/// <summary>
/// Setting up an authenticator app: a QR code and the key to type, then a code from the app confirms it. The secret
/// travels in a protected form field until then, so a reload or another node loses nothing. A session below the level
/// an app gives (a set-up session opened by a password alone) gets no secret and is told what to do instead.
/// </summary>
internal abstract class TotpSetupPageBase(TotpAuthenticators totp, UserManager<HubAccount> users, LoginFlow flow, TimeProvider time, IStringLocalizer<Texts> t) : PageModel
{
    [BindProperty]
    public string? State { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public TotpEnrolment? Enrolment { get; private set; }

    /// <summary>Why this session cannot add an app (it binds below the level an app gives); null when it can.</summary>
    public string? BindingRefusal { get; private set; }

    public string QrSvg => Enrolment is null ? "" : QrCodes.Svg(Enrolment.OtpAuthUri, t["Totp.QrLabel"]);

    /// <summary>The key in groups of four, as people copy it into an app.</summary>
    public string GroupedSecret => Enrolment is null ? "" : string.Join(' ', Enrolment.Secret.Chunk(4).Select(c => new string(c)));

    protected abstract string AfterPath(bool firstFactor);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var account = await users.GetUserAsync(User);
        if (account is null)
        {
            return Forbid();
        }

        if (!await MayBindAsync(ct))
        {
            return Page();
        }

        Enrolment = totp.Begin(account);
        State = Enrolment.ProtectedState;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var account = await users.GetUserAsync(User);
        if (account is null)
        {
            return Forbid();
        }

        if (!await MayBindAsync(ct))
        {
            return Page();
        }

        Enrolment = totp.Resume(account, State);
        if (Enrolment is null)
        {
            Enrolment = totp.Begin(account);
            State = Enrolment.ProtectedState;
            ModelState.AddModelError(nameof(Code), t["Totp.Expired"]);
            return Page();
        }

        if (string.IsNullOrWhiteSpace(Code))
        {
            ModelState.AddModelError(nameof(Code), t["Verify.EnterCode"]);
            return Page();
        }

        var firstFactor = User.SetupRequiredOf() is not null;
        var added = await totp.ConfirmAsync(account, Enrolment, string.IsNullOrWhiteSpace(Name) ? t["Totp.DefaultName"] : Name, Code, ct);
        if (added is null)
        {
            ModelState.AddModelError(nameof(Code), t["Totp.WrongCode"]);
            return Page();
        }

        await flow.RecordNewFactorAsync(HttpContext, User, new AuthenticationRecord(AuthenticationMethods.Totp, time.GetUtcNow()), ct);
        TempData["AccountMessage"] = "totp-added";
        return LocalRedirect(AfterPath(firstFactor));
    }

    /// <summary>NIST SP 800-63B §6.1.2.1: only a session at the level an app gives (with the password) may add one.</summary>
    private async Task<bool> MayBindAsync(CancellationToken ct)
    {
        if (await flow.BindingLevelForAsync(User, AuthenticationMethods.Totp, ct) != LevelOfAssurance.None)
        {
            return true;
        }

        BindingRefusal = SecurityPages.LowSessionMessage(t, User);
        return false;
    }
}
