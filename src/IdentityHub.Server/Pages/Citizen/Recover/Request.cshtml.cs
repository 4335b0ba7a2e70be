using IdentityHub.Enrolment.Letters;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Citizen.Recover;

/// <summary>
/// Asking for a recovery letter by post. The answer is the same for every well-formed national id — registered or
/// not, with an address or not, a letter already waiting or not — so the page tells nobody who has an account; the
/// letter goes only to the registered address (<see cref="RecoveryLetters.RequestByPostAsync"/>).
/// </summary>
internal sealed class RequestModel(RecoveryLetters letters, IStringLocalizer<Texts> t) : PageModel
{
    [BindProperty]
    public string? NationalId { get; set; }

    public bool Sent { get; private set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(NationalId))
        {
            ModelState.AddModelError(nameof(NationalId), t["Login.EnterNationalId"]);
        }
        else if (!Core.Identity.NationalId.TryParse(NationalId, out _, out _))
        {
            ModelState.AddModelError(nameof(NationalId), t["Login.InvalidNationalId"]);
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        await letters.RequestByPostAsync(NationalId, ct);
        Sent = true;
        return Page();
    }
}
