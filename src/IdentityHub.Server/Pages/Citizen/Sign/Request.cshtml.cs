using IdentityHub.Authentication.Agencies;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Signing.Requests;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Citizen.Sign;

/// <summary>
/// One request: what is to be signed (names, sizes, SHA-256), for which agency and why; "Sign" prepares the activation
/// for exactly these documents and sends the citizen to confirm it with a passkey or TOTP; back here, the documents are
/// signed and offered for download. An agency's request becomes the citizen's when they open its link.
/// </summary>
[Microsoft.AspNetCore.Authorization.Authorize(Policy = CitizenPolicies.Citizen)]
internal sealed class RequestModel(SigningRequests requests, RequestCompletion completion, IAgencyAccess agencies, IStringLocalizer<Texts> t) : PageModel
{
    public SigningRequestView View { get; private set; } = null!;

    public string? AgencyName { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (User.AccountIdOf() is not { } accountId)
        {
            return Forbid();
        }

        var opened = await requests.OpenAsync(id, accountId, User.Identity!.Name!, client => SubjectAsync(client, accountId, ct), ct);
        return opened.Succeeded ? await ShowAsync(opened.Value!, null, ct) : NotFoundPage(opened.Detail!);
    }

    /// <summary>Prepares the activation and sends the citizen to confirm it; the activation page returns to Complete.</summary>
    public async Task<IActionResult> OnPostSignAsync(Guid id, CancellationToken ct)
    {
        if (User.AccountIdOf() is not { } accountId)
        {
            return Forbid();
        }

        var prepared = await completion.PrepareActivationAsync(id, accountId, HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
        if (!prepared.Succeeded)
        {
            return await requests.FindAsync(id, accountId, ct) is { } view ? await ShowAsync(view, prepared.Detail, ct) : NotFoundPage(prepared.Detail!);
        }

        var back = Uri.EscapeDataString($"/sign/requests/{id}?handler=complete");
        return Redirect($"/sign/activate/{prepared.Value!.Id}?returnUrl={back}");
    }

    /// <summary>Back from a confirmed activation: signs (once; a second visit shows the result).</summary>
    public async Task<IActionResult> OnGetCompleteAsync(Guid id, CancellationToken ct)
    {
        if (User.AccountIdOf() is not { } accountId)
        {
            return Forbid();
        }

        var signed = await completion.SignAsync(id, accountId, User.Identity!.Name!, HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
        if (signed.Succeeded)
        {
            return Redirect($"/sign/requests/{id}");
        }

        return await requests.FindAsync(id, accountId, ct) is { } view ? await ShowAsync(view, t["Portal.NotSigned", signed.Detail!], ct) : NotFoundPage(signed.Detail!);
    }

    public async Task<IActionResult> OnPostDeclineAsync(Guid id, CancellationToken ct)
    {
        if (User.AccountIdOf() is not { } accountId)
        {
            return Forbid();
        }

        await requests.CancelAsync(id, accountId, null, User.Identity!.Name!, ct);
        return Redirect($"/sign/requests/{id}");
    }

    public async Task<IActionResult> OnGetDownloadAsync(Guid id, int position, CancellationToken ct)
    {
        if (User.AccountIdOf() is not { } accountId)
        {
            return Forbid();
        }

        return await requests.SignedDocumentAsync(id, position, accountId, null, ct) is { } file
            ? File(file.Content.ToArray(), file.MimeType, file.Name)
            : NotFoundPage(t["Portal.Gone"]);
    }

    private async Task<IActionResult> ShowAsync(SigningRequestView view, string? error, CancellationToken ct)
    {
        View = view;
        Error = error;
        AgencyName = view.ClientId is null ? null : await agencies.DisplayNameAsync(view.ClientId, ct) ?? view.ClientId;
        if (error is not null)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
        }

        return Page();
    }

    private static ContentResult NotFoundPage(string message) =>
        new() { StatusCode = StatusCodes.Status404NotFound, ContentType = "text/plain; charset=utf-8", Content = message };

    private async Task<string> SubjectAsync(string clientId, Guid accountId, CancellationToken ct) =>
        await agencies.SubjectAtAsync(clientId, accountId, ct) ?? "";
}
