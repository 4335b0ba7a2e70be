using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace IdentityHub.Signing.Http;

/// <summary>
/// A validation upload (multipart/form-data: "document", the signed file, and for detached signatures one or more
/// "original" files), answered as JSON, or as a PDF report when the client asks for application/pdf.
/// Used by the agency API and by the public verify page's download links.
/// </summary>
internal sealed class ValidationUploads(ValidationService validation, IOptions<SigningOptions> options)
{
    public const string DocumentField = "document";
    public const string OriginalField = "original";

    public async Task<IResult> ValidateFormAsync(HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var input = await ReadAsync(http, ct);
        if (input.Problem is { } problem)
        {
            return SigningProblems.Of(problem.Code, problem.Detail);
        }

        var report = await validation.ValidateAsync(input.Value!, null, ct);
        var wantsPdf = http.Request.Headers.Accept.Any(a => a?.Contains("application/pdf", StringComparison.OrdinalIgnoreCase) == true);
        return wantsPdf
            ? Results.File(ValidationReportPdf.Render(report), "application/pdf", Path.GetFileNameWithoutExtension(report.DocumentName) + "-validation.pdf")
            : Results.Json(report);
    }

    /// <summary>The form's files as a validation input, or why not (no file, too large, not multipart).</summary>
    public async Task<(ValidationInput? Value, (string Code, string Detail)? Problem)> ReadAsync(HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var max = options.Value.MaxDocumentBytes;
        if (!http.Request.HasFormContentType)
        {
            return (null, ("malformed-request", $"Send multipart/form-data with the signed file as '{DocumentField}' (and detached originals as '{OriginalField}')."));
        }

        AgencySigningEndpoints.RaiseBodyLimit(http, (2 * max) + (1L << 20));
        if (http.Request.ContentLength > (2 * max) + (1L << 20))
        {
            return (null, (DocumentProblems.TooLarge, $"Files larger than {max} bytes are not validated."));
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(ct);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return (null, ("malformed-request", "The form could not be read: " + ex.Message));
        }

        if (form.Files.GetFile(DocumentField) is not { Length: > 0 } document)
        {
            return (null, ("malformed-request", $"No file in the field '{DocumentField}'."));
        }

        if (document.Length > max || form.Files.GetFiles(OriginalField).Any(f => f.Length > max))
        {
            return (null, (DocumentProblems.TooLarge, $"Files larger than {max} bytes are not validated."));
        }

        var originals = new List<SignedFile>();
        foreach (var original in form.Files.GetFiles(OriginalField))
        {
            originals.Add(new SignedFile(Path.GetFileName(original.FileName), original.ContentType ?? "application/octet-stream", await BytesAsync(original, ct)));
        }

        return (new ValidationInput(Path.GetFileName(document.FileName), await BytesAsync(document, ct), originals), null);
    }

    private static async Task<byte[]> BytesAsync(IFormFile file, CancellationToken ct)
    {
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }
}
