using IdentityHub.Data.Registry;
using IdentityHub.Enrolment.Proofing;
using IdentityHub.Enrolment.Registry;
using IdentityHub.Server.OfficerConsole;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console.Enrolments;

/// <summary>
/// Record a person's claimed identity, the identity document seen and a face photo (draft enrolment). The photo is
/// required before the evidence is verified; a draft saved without it gets it on its own page (no dead end).
/// </summary>
[RequestSizeLimit(3 * 1024 * 1024)]
internal sealed class NewModel(EnrolmentService enrolments, ServicePoints servicePoints) : PageModel
{
    [BindProperty]
    public EnrolmentForm Form { get; set; } = new();

    [BindProperty]
    public IFormFile? Photo { get; set; }

    public IReadOnlyList<ServicePointRecord> Points { get; private set; } = [];

    public async Task OnGetAsync(string? existingNationalId, CancellationToken ct)
    {
        Form = new EnrolmentForm { ExistingNationalId = existingNationalId };
        Points = await PointsAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var photo = await EnrolmentForm.PhotoAsync(Photo, ct);
        var (request, dateErrors) = Form.Read();
        var outcome = await enrolments.CreateAsync(request, photo, User.ToStaffActor(), ct);
        if (outcome.Succeeded)
        {
            TempData["Message"] = photo is null
                ? "Draft enrolment saved without a face photo: add it below before verifying the evidence."
                : "Draft enrolment saved.";
            return Redirect($"/console/enrolments/{outcome.Value!.Id}");
        }

        EnrolmentForm.AddErrors(ModelState, dateErrors, outcome.Errors);
        Points = await PointsAsync(ct);
        return Page();
    }

    /// <summary>The open service points this officer works at: an enrolment is recorded where the officer is.</summary>
    private async Task<IReadOnlyList<ServicePointRecord>> PointsAsync(CancellationToken ct)
    {
        var actor = User.ToStaffActor();
        return [.. (await servicePoints.OpenAsync(ct)).Where(p => actor.ActsFor(p.Code))];
    }
}
