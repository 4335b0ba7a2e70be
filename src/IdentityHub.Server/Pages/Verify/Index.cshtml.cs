using IdentityHub.Signing.Http;
using IdentityHub.Signing.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace IdentityHub.Server.Pages.Verify;

/// <summary>
/// The public verify page: anyone uploads a signed PDF, XML, .p7s with its original, or an ASiC container and gets the
/// ETSI EN 319 102-1 report for every signature, as a page, as JSON or as a PDF. Nothing uploaded is stored.
/// </summary>
[AllowAnonymous]
[RequestSizeLimit(60L << 20)]
[RequestFormLimits(MultipartBodyLengthLimit = 60L << 20)]
[EnableRateLimiting(SigningRateLimits.VerifyPolicy)]
internal sealed class IndexModel(ValidationUploads uploads, ValidationService validation) : PageModel
{
    public ValidationReport? Report { get; private set; }

    public string? Error { get; private set; }

    [BindProperty]
    public string As { get; set; } = "page";

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (input, problem) = await uploads.ReadAsync(HttpContext, ct);
        if (problem is { } p)
        {
            Error = p.Detail;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Report = await validation.ValidateAsync(input!, null, ct);
        return As switch
        {
            "json" => new JsonResult(Report),
            "pdf" => File(ValidationReportPdf.Render(Report), "application/pdf", Path.GetFileNameWithoutExtension(Report.DocumentName) + "-validation.pdf"),
            _ => Page(),
        };
    }
}
