using IdentityHub.Authentication.Sessions;
using IdentityHub.Signing;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Requests;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace IdentityHub.Server.Pages.Citizen.Sign;

/// <summary>
/// The portal's start: upload documents, choose the format and level, then review them and confirm with the second
/// factor (the activation page). Files are checked here, so a bad one is named before anything is confirmed.
/// </summary>
[RequestSizeLimit(120L << 20)]
[RequestFormLimits(MultipartBodyLengthLimit = 120L << 20)]
[Microsoft.AspNetCore.Authorization.Authorize(Policy = CitizenPolicies.Citizen)]
internal sealed class IndexModel(SigningRequests requests, IOptions<SigningOptions> options, IStringLocalizer<Texts> t) : PageModel
{
    [BindProperty]
    public List<IFormFile> Files { get; set; } = [];

    [BindProperty]
    public string Format { get; set; } = RequestFormats.Pades;

    [BindProperty]
    public string Level { get; set; } = "B-T";

    [BindProperty]
    public bool Visible { get; set; }

    [BindProperty]
    public bool Keep { get; set; }

    /// <summary>Empty for an approval signature, or a <see cref="CertificationLevels"/> name (PAdES only).</summary>
    [BindProperty]
    public string? Certification { get; set; }

    public string? Error { get; private set; }

    public IReadOnlyList<SigningRequestView> Recent { get; private set; } = [];

    public SigningOptions Limits => options.Value;

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (User.AccountIdOf() is { } accountId)
        {
            Recent = await requests.HistoryAsync(accountId, 5, ct);
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (User.AccountIdOf() is not { } accountId)
        {
            return Forbid();
        }

        var files = new List<SignedFile>();
        foreach (var file in Files.Where(f => f.Length > 0))
        {
            if (file.Length > options.Value.MaxDocumentBytes)
            {
                return Refuse(t["Portal.TooLarge", Path.GetFileName(file.FileName), options.Value.MaxDocumentBytes / (1024 * 1024)], ct);
            }

            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, ct);
            files.Add(new SignedFile(Path.GetFileName(file.FileName), file.ContentType ?? "application/octet-stream", buffer.ToArray()));
        }

        if (SigningRequests.ParseLevel(Level) is not { } level)
        {
            return Refuse(t["Portal.LevelUnknown"], ct);
        }

        var certification = CertificationLevels.Permission(Certification);
        if (!string.IsNullOrEmpty(Certification) && certification is null)
        {
            return Refuse(t["Portal.CertificationUnknown"], ct);
        }

        var created = await requests.CreateAsync(new NewSigningRequest(files, Format, level, Visible, KeepDocuments: Keep, Certification: certification),
            accountId, clientId: null, expectedSubject: null, callbackUri: null, User.Identity!.Name!, ct);
        return created.Succeeded
            ? Redirect($"/sign/requests/{created.Value!.Id}")
            : Refuse(t["Portal.Refused", created.Detail ?? created.Problem!], ct);
    }

    private PageResult Refuse(string message, CancellationToken ct)
    {
        _ = ct;
        Error = message;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
