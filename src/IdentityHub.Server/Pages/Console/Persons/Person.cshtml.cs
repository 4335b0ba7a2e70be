using IdentityHub.Enrolment.Registry;
using IdentityHub.Server.OfficerConsole;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console.Persons;

/// <summary>A person's record, its full history, eIDs and enrolments (an audited view), addressed by the registry's id: no national identifier in the URL.</summary>
internal sealed class PersonModel(PersonRegistry registry) : PageModel
{
    public PersonDossier? Dossier { get; private set; }

    public IdentityHub.Enrolment.StaffActor Actor => User.ToStaffActor();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
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
