using IdentityHub.Enrolment.Letters;
using IdentityHub.Enrolment.Registry;
using IdentityHub.Server.OfficerConsole;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console.Persons;

/// <summary>
/// A person's record, its full history, eIDs and enrolments (an audited view), addressed by the registry's id: no
/// national identifier in the URL. An officer whose service points cover the person prints a recovery letter here
/// after checking the person's identity document (<see cref="RecoveryLetters"/>).
/// </summary>
internal sealed class PersonModel(PersonRegistry registry, RecoveryLetters recoveryLetters, RecoveryLetterRenderer recoveryLetterRenderer) : PageModel
{
    public PersonDossier? Dossier { get; private set; }

    /// <summary>Ticked by the officer: they checked the identity document of the person in front of them.</summary>
    [BindProperty]
    public bool IdentityChecked { get; set; }

    public IdentityHub.Enrolment.StaffActor Actor => User.ToStaffActor();

    public bool MayPrintRecoveryLetter => Actor.IsOfficer;

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => LoadAsync(id, ct);

    public async Task<IActionResult> OnPostRecoveryLetterAsync(Guid id, CancellationToken ct)
    {
        var printed = await recoveryLetters.PrintAtCounterAsync(id, IdentityChecked, User.ToStaffActor(), ct);
        if (!printed.Succeeded)
        {
            ModelState.AddErrors(printed.Errors);
            return await LoadAsync(id, ct);
        }

        // The letter holds a one-time code: never cache it.
        Response.Headers.CacheControl = "no-store";
        return File(recoveryLetterRenderer.Render(printed.Value!), "application/pdf", "recovery-letter.pdf");
    }

    private async Task<IActionResult> LoadAsync(Guid id, CancellationToken ct)
    {
        var outcome = await registry.GetByIdAsync(id, User.ToStaffActor(), ct);
        if (outcome.Succeeded)
        {
            Dossier = outcome.Value;
            return Page();
        }

        ModelState.AddErrors(outcome.Errors);
        Response.StatusCode = outcome.ErrorCode == IdentityHub.Enrolment.EnrolmentErrors.Forbidden ? 403 : 404;
        return Page();
    }
}
