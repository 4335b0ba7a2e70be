using IdentityHub.Data.Registry;
using IdentityHub.Enrolment.Proofing;
using IdentityHub.Enrolment.Registry;
using IdentityHub.Server.OfficerConsole;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console.Enrolments;

/// <summary>Record a person's claimed identity, the identity document seen and a face photo (draft enrolment).</summary>
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
        FacePhoto? photo = null;
        if (Photo is { Length: > 0 })
        {
            using var buffer = new MemoryStream();
            await Photo.CopyToAsync(buffer, ct);
            photo = new FacePhoto(Photo.ContentType, buffer.ToArray());
        }

        var outcome = await enrolments.CreateAsync(Form.ToRequest(), photo, User.ToStaffActor(), ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/console/enrolments/{outcome.Value!.Id}");
        }

        ModelState.Clear();
        ModelState.AddErrors(outcome.Errors);
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

/// <summary>The form's fields; names match the enrolment request so errors land next to their field.</summary>
internal sealed class EnrolmentForm
{
    public string? GivenNames { get; set; }

    public string? Surname { get; set; }

    public string? DateOfBirth { get; set; }

    public string? PlaceOfBirth { get; set; }

    public string? Nationality { get; set; }

    public string? Sex { get; set; }

    public string? DocumentType { get; set; }

    public string? DocumentNumber { get; set; }

    public string? DocumentIssuingState { get; set; }

    public string? DocumentExpiresOn { get; set; }

    public string? ServicePoint { get; set; }

    public string? ExistingNationalId { get; set; }

    public EnrolmentRequest ToRequest() => new()
    {
        GivenNames = GivenNames,
        Surname = Surname,
        DateOfBirth = DateOfBirth,
        PlaceOfBirth = PlaceOfBirth,
        Nationality = Nationality,
        Sex = Sex,
        DocumentType = DocumentType,
        DocumentNumber = DocumentNumber,
        DocumentIssuingState = DocumentIssuingState,
        DocumentExpiresOn = DocumentExpiresOn,
        ServicePoint = ServicePoint,
        ExistingNationalId = ExistingNationalId,
    };
}
