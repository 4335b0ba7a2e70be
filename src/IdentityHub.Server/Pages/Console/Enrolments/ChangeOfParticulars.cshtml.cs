using IdentityHub.Data.Registry;
using IdentityHub.Enrolment.Proofing;
using IdentityHub.Enrolment.Registry;
using IdentityHub.Server.OfficerConsole;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console.Enrolments;

/// <summary>
/// Records a change of particulars (a new name after marriage or a court order, or particulars recorded wrongly) for a
/// person who holds a current eID: an enrolment with purpose changeOfParticulars, the new identity document and the
/// evidence for the change (docs/enrolment.md, "Change of particulars"). It then goes through the enrolment page's
/// verify, four-eyes approve and apply steps. The person is addressed by the registry's id; the national identifier is
/// read from the registry on every request, never taken from the form.
/// </summary>
[RequestSizeLimit(3 * 1024 * 1024)]
internal sealed class ChangeOfParticularsModel(EnrolmentService enrolments, PersonRegistry registry, ServicePoints servicePoints) : PageModel
{
    [BindProperty]
    public EnrolmentForm Form { get; set; } = new();

    [BindProperty]
    public IFormFile? Photo { get; set; }

    public PersonDossier? Dossier { get; private set; }

    /// <summary>The eID whose certificates the change replaces (null: the person holds none, so there is nothing to change).</summary>
    public EidView? CurrentEid => Dossier?.Eids.FirstOrDefault(e => e.Status != EidStatus.Revoked);

    public IReadOnlyList<ServicePointRecord> Points { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid personId, CancellationToken ct)
    {
        if (!await LoadAsync(personId, ct))
        {
            return NotFound();
        }

        var p = Dossier!.Person;
        Form = new EnrolmentForm
        {
            GivenNames = p.GivenNames,
            Surname = p.Surname,
            DateOfBirth = DateParts.From(p.DateOfBirth),
            PlaceOfBirth = p.PlaceOfBirth,
            Nationality = p.Nationality,
            Sex = p.Sex,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid personId, CancellationToken ct)
    {
        if (!await LoadAsync(personId, ct))
        {
            return NotFound();
        }

        var photo = await EnrolmentForm.PhotoAsync(Photo, ct);
        var (request, dateErrors) = Form.Read();
        request = request with { ExistingNationalId = Dossier!.Person.NationalId, Purpose = "changeOfParticulars" };
        var outcome = await enrolments.CreateAsync(request, photo, User.ToStaffActor(), ct);
        if (outcome.Succeeded)
        {
            TempData["Message"] = "Change of particulars recorded as a draft." + (photo is null ? " Add the face photo below before verifying the evidence." : " Verify the evidence next.");
            return Redirect($"/console/enrolments/{outcome.Value!.Id}");
        }

        // Errors about the person as a whole (no current eID) have no field of their own on this page.
        var errors = outcome.Errors.Select(e => e.Field is nameof(EnrolmentRequest.Purpose) or nameof(EnrolmentRequest.ExistingNationalId) ? e with { Field = null } : e).ToList();
        EnrolmentForm.AddErrors(ModelState, dateErrors, errors);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid personId, CancellationToken ct)
    {
        var actor = User.ToStaffActor();
        var outcome = await registry.GetByIdAsync(personId, actor, ct);
        if (!outcome.Succeeded)
        {
            return false;
        }

        Dossier = outcome.Value;
        Points = [.. (await servicePoints.OpenAsync(ct)).Where(p => actor.ActsFor(p.Code))];
        return true;
    }
}
