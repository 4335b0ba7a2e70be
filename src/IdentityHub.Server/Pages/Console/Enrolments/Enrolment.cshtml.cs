using IdentityHub.Data.Registry;
using IdentityHub.Enrolment;
using IdentityHub.Enrolment.Issuance;
using IdentityHub.Enrolment.Proofing;
using IdentityHub.Server.OfficerConsole;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console.Enrolments;

/// <summary>One enrolment and the steps its state and the officer's role allow: decide duplicates, verify, approve, issue, cancel.</summary>
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

    public StaffActor Actor => User.ToStaffActor();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct);

    public async Task<IActionResult> OnGetPhotoAsync(Guid id, CancellationToken ct)
    {
        var photo = await enrolments.PhotoAsync(id, User.ToStaffActor(), ct);
        Response.Headers.CacheControl = "no-store";
        return photo.Succeeded ? File(photo.Value!.Content, photo.Value.ContentType) : NotFound();
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
            TempData["Message"] = $"eID {outcome.Value!.DocumentNumber} issued for national identifier {outcome.Value.NationalId}. Print the activation letter now.";
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
