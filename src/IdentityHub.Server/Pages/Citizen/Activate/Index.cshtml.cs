using IdentityHub.Authentication.Activation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Citizen.Activate;

/// <summary>First step of activation: the national id and the one-time code from the letter.</summary>
internal sealed class IndexModel(CitizenActivation activation, ActivationCookie cookie, IStringLocalizer<Texts> t) : PageModel
{
    [BindProperty]
    public string? NationalId { get; set; }

    [BindProperty]
    public string? Code { get; set; }

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

        if (string.IsNullOrWhiteSpace(Code))
        {
            ModelState.AddModelError(nameof(Code), t["Activate.EnterCode"]);
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var start = await activation.StartAsync(NationalId!, Code!, ct);
        if (!start.Succeeded)
        {
            // One answer for every refusal: it must not tell whether the national ID has an account or a letter.
            ModelState.AddModelError(nameof(Code), t["Activate.Error." + start.Error]);
            return Page();
        }

        cookie.Write(HttpContext, start.Account!.Id);
        return Redirect("/activate/password");
    }
}
