using IdentityHub.Enrolment;
using IdentityHub.Enrolment.Http;
using IdentityHub.Enrolment.Lifecycle;
using IdentityHub.Enrolment.Registry;
using IdentityHub.Server.OfficerConsole;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console.Eids;

/// <summary>
/// One eID: whose it is, status, certificates, and the lifecycle steps (print letter, suspend, resume, revoke, renew,
/// replace). Revoking and replacing cannot be undone, so their forms first show a confirmation page (what will happen,
/// whose eID) and act only when that page's button is pressed.
/// </summary>
internal sealed class EidModel(EidLifecycle lifecycle, ActivationLetterRenderer letters) : PageModel
{
    public const string ConfirmRevoke = "revoke";
    public const string ConfirmReplace = "replace";

    /// <summary>The id of the replace form's note input (both forms post it as Note).</summary>
    public const string ReplaceNoteField = "ReplaceNote";

    private const int MaxNoteLength = 1000;

    public EidView? Eid { get; private set; }

    /// <summary>The person the eID belongs to.</summary>
    public PersonView? Holder { get; private set; }

    /// <summary>Set when the page shows the confirmation of <see cref="ConfirmRevoke"/> or <see cref="ConfirmReplace"/>.</summary>
    public string? Confirming { get; private set; }

    /// <summary>Sent only by the confirmation page's button.</summary>
    [BindProperty]
    public bool Confirmed { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? RevocationReason { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    public StaffActor Actor => User.ToStaffActor();

    /// <summary>Which of the revoke and replace forms was sent, so only that form shows the note typed again.</summary>
    public string? Posted { get; private set; }

    public Task<IActionResult> OnGetAsync(string documentNumber, CancellationToken ct) => LoadAsync(documentNumber, ct);

    public async Task<IActionResult> OnPostLetterAsync(string documentNumber, CancellationToken ct)
    {
        var printed = await lifecycle.PrintLetterAsync(documentNumber, Actor, ct);
        if (!printed.Succeeded)
        {
            ModelState.AddErrors(printed.Errors);
            return await LoadAsync(documentNumber, ct);
        }

        // The letter holds a one-time code: never cache it.
        Response.Headers.CacheControl = "no-store";
        return File(letters.Render(printed.Value!), "application/pdf", $"activation-letter-{printed.Value!.DocumentNumber}.pdf");
    }

    public Task<IActionResult> OnPostSuspendAsync(string documentNumber, CancellationToken ct) =>
        StepAsync(documentNumber, () => lifecycle.SuspendAsync(documentNumber, Reason ?? string.Empty, Actor, ct), "eID suspended.", ct);

    public Task<IActionResult> OnPostResumeAsync(string documentNumber, CancellationToken ct) =>
        StepAsync(documentNumber, () => lifecycle.ResumeAsync(documentNumber, Reason ?? string.Empty, Actor, ct), "eID resumed.", ct);

    /// <summary>Reason and note are checked here, so an empty note is named on the form before the confirmation page, not after it.</summary>
    public Task<IActionResult> OnPostRevokeAsync(string documentNumber, CancellationToken ct)
    {
        Posted = ConfirmRevoke;
        if (!RevocationReasons.TryParse(RevocationReason, out var reason))
        {
            return FieldErrorAsync(documentNumber, nameof(RevocationReason), "Choose a revocation reason.", ct);
        }

        if (NoteError("Enter a note: what happened, for the record") is { } missing)
        {
            return FieldErrorAsync(documentNumber, nameof(Note), missing, ct);
        }

        return Confirmed
            ? StepAsync(documentNumber, () => lifecycle.RevokeAsync(documentNumber, reason, Note!, Actor, ct), "eID revoked.", ct)
            : ConfirmAsync(documentNumber, ConfirmRevoke, ct);
    }

    public Task<IActionResult> OnPostRenewAsync(string documentNumber, CancellationToken ct) =>
        StepAsync(documentNumber, () => lifecycle.RenewAsync(documentNumber, Actor, ct), "eID renewed: new keys and certificates.", ct);

    public async Task<IActionResult> OnPostReplaceAsync(string documentNumber, CancellationToken ct)
    {
        Posted = ConfirmReplace;
        if (NoteError("Enter what was lost or stolen") is { } missing)
        {
            return await FieldErrorAsync(documentNumber, ReplaceNoteField, missing, ct);
        }

        if (!Confirmed)
        {
            return await ConfirmAsync(documentNumber, ConfirmReplace, ct);
        }

        var outcome = await lifecycle.ReplaceAsync(documentNumber, IdentityHub.Pki.RevocationReason.KeyCompromise, Note ?? string.Empty, Actor, ct);
        if (outcome.Succeeded)
        {
            TempData["Message"] = $"eID {documentNumber} revoked and replaced by {outcome.Value!.DocumentNumber}. Print its activation letter now.";
            return Redirect($"/console/eids/{outcome.Value.DocumentNumber}");
        }

        // The replace form's note field is ReplaceNote (the revoke form has the Note field).
        ModelState.AddErrors([.. outcome.Errors.Select(e => e.Field == nameof(Note) ? e with { Field = ReplaceNoteField } : e)]);
        return await LoadAsync(documentNumber, ct);
    }

    /// <summary>The message when the note is empty or too long (the lifecycle refuses both too, but only after the confirmation page).</summary>
    private string? NoteError(string enter) =>
        string.IsNullOrWhiteSpace(Note) ? enter + "." : Note.Length > MaxNoteLength ? $"The note must be at most {MaxNoteLength} characters." : null;

    private async Task<IActionResult> ConfirmAsync(string documentNumber, string step, CancellationToken ct)
    {
        var page = await LoadAsync(documentNumber, ct);
        if (Eid is { Status: not IdentityHub.Data.Registry.EidStatus.Revoked })
        {
            Confirming = step;
        }

        return page;
    }

    private async Task<IActionResult> FieldErrorAsync(string documentNumber, string field, string message, CancellationToken ct)
    {
        ModelState.AddModelError(field, message);
        return await LoadAsync(documentNumber, ct);
    }

    private async Task<IActionResult> StepAsync(string documentNumber, Func<Task<Outcome<EidView>>> step, string message, CancellationToken ct)
    {
        var outcome = await step();
        if (outcome.Succeeded)
        {
            TempData["Message"] = message;
            return Redirect($"/console/eids/{documentNumber}");
        }

        ModelState.AddErrors(outcome.Errors);
        return await LoadAsync(documentNumber, ct);
    }

    private async Task<IActionResult> LoadAsync(string documentNumber, CancellationToken ct)
    {
        var outcome = await lifecycle.GetAsync(documentNumber, Actor, ct);
        if (!outcome.Succeeded)
        {
            return NotFound();
        }

        Eid = outcome.Value;
        Holder = await lifecycle.HolderAsync(Eid!, ct);
        return Page();
    }
}
