using IdentityHub.Data.Registry;
using IdentityHub.Enrolment;
using IdentityHub.Enrolment.Issuance;
using IdentityHub.Enrolment.Proofing;
using IdentityHub.Server.OfficerConsole;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console.Enrolments;

/// <summary>
/// One enrolment and the steps its state and the officer's role allow: decide duplicates, add the face photo a draft
/// lacks, verify (only once the photo is there), approve, issue (or apply a change of particulars), cancel.
/// </summary>
[RequestSizeLimit(3 * 1024 * 1024)]
internal sealed class EnrolmentModel(EnrolmentService enrolments, EidIssuer issuer) : PageModel
{
    public EnrolmentView? Enrolment { get; private set; }

    public IReadOnlyList<IdentityHub.Enrolment.Registry.PersonView> Candidates { get; private set; } = [];

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public Guid? SamePersonId { get; set; }

    [BindProperty]
    public IFormFile? Photo { get; set; }

    public StaffActor Actor => User.ToStaffActor();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct);

    public async Task<IActionResult> OnGetPhotoAsync(Guid id, CancellationToken ct)
    {
        var photo = await enrolments.PhotoAsync(id, User.ToStaffActor(), ct);
        Response.Headers.CacheControl = "no-store";
        return photo.Succeeded ? File(photo.Value!.Content, photo.Value.ContentType) : NotFound();
    }

    /// <summary>The face photo of a draft saved without one, checked like the new-enrolment form's (and audited as captured).</summary>
    public async Task<IActionResult> OnPostPhotoAsync(Guid id, CancellationToken ct)
    {
        var photo = await EnrolmentForm.PhotoAsync(Photo, ct);
        if (photo is null)
        {
            ModelState.AddModelError("Photo", "Choose the face photo to add: a JPEG or PNG image of at most 2 MB.");
            return await LoadAsync(id, ct);
        }

        return await StepAsync(id, () => enrolments.AttachPhotoAsync(id, photo, Actor, ct), "Face photo added. Compare it with the person, then verify the evidence.", ct);
    }

    public Task<IActionResult> OnPostVerifyAsync(Guid id, CancellationToken ct) =>
        StepAsync(id, () => enrolments.VerifyAsync(id, Actor, ct), "Evidence verified.", ct);

    public Task<IActionResult> OnPostApproveAsync(Guid id, CancellationToken ct) =>
        StepAsync(id, () => enrolments.ApproveAsync(id, Actor, ct), "Enrolment approved.", ct);

    public Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken ct) =>
        StepAsync(id, () => enrolments.CancelAsync(id, Reason ?? string.Empty, Actor, ct), "Enrolment cancelled.", ct);

    public Task<IActionResult> OnPostDuplicateAsync(Guid id, CancellationToken ct) =>
        StepAsync(id, () => enrolments.DecideDuplicateAsync(id, SamePersonId == Guid.Empty ? null : SamePersonId, Note ?? string.Empty, Actor, ct), "Decision recorded.", ct);

    public async Task<IActionResult> OnPostIssueAsync(Guid id, CancellationToken ct)
    {
        var outcome = await issuer.IssueAsync(id, Actor, ct);
        if (outcome.Succeeded)
        {
            TempData["Message"] = outcome.Value!.ChangedParticulars
                ? $"Particulars changed for national identifier {outcome.Value.NationalId}: eID {outcome.Value.DocumentNumber} has new certificates with the new particulars; the earlier ones are revoked as superseded."
                : $"eID {outcome.Value.DocumentNumber} issued for national identifier {outcome.Value.NationalId}. Print the activation letter now.";
            return Redirect($"/console/eids/{outcome.Value.DocumentNumber}");
        }

        ModelState.AddErrors(outcome.Errors);
        return await LoadAsync(id, ct);
    }

    private async Task<IActionResult> StepAsync(Guid id, Func<Task<Outcome<EnrolmentView>>> step, string message, CancellationToken ct)
    {
        var outcome = await step();
        if (outcome.Succeeded)
        {
            TempData["Message"] = message;
            return Redirect($"/console/enrolments/{id}");
        }

        ModelState.AddErrors(outcome.Errors);
        return await LoadAsync(id, ct);
    }

    private async Task<IActionResult> LoadAsync(Guid id, CancellationToken ct)
    {
        var outcome = await enrolments.GetAsync(id, User.ToStaffActor(), ct);
        if (!outcome.Succeeded)
        {
            return NotFound();
        }

        Enrolment = outcome.Value;
        if (Enrolment!.NeedsDuplicateDecision)
        {
            Candidates = await enrolments.CandidatesAsync(Enrolment, User.ToStaffActor(), ct);
        }

        return Page();
    }

    public bool CanIssue => Enrolment is { Status: EnrolmentStatus.Approved } || (Enrolment is { Status: EnrolmentStatus.Verified } && !enrolments.SupervisorApprovalRequired);
}
