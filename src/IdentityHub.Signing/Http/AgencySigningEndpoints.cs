using System.Text.Json;
using IdentityHub.Authentication.Agencies;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Requests;
using IdentityHub.Signing.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace IdentityHub.Signing.Http;

/// <summary>
/// The REST API for agencies (docs/signing.md): ask a citizen to sign documents, follow the request, fetch the signed
/// documents, and validate any signed file. Access: the agency's access token from the hub's OpenID provider (client
/// credentials) with the scope signature_requests or signature_validation. Errors are RFC 9457 ProblemDetails.
/// </summary>
public static class AgencySigningEndpoints
{
    public const string BasePath = "/api/signing/v1";
    public const string OpenApiDocument = "signing-v1";
    public const string RequestScope = "signature_requests";
    public const string ValidationScope = "signature_validation";

    public static IEndpointRouteBuilder MapIdentityHubAgencySigning(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(BasePath).WithTags("Signing").WithGroupName(OpenApiDocument);
        api.MapPost("/requests", CreateAsync).WithName("CreateSigningRequest").Accepts<SigningRequestBody>("application/json")
            .Produces<SigningRequestResponse>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(401).ProducesProblem(413);
        api.MapGet("/requests/{id:guid}", GetAsync).WithName("GetSigningRequest")
            .Produces<SigningRequestResponse>().ProducesProblem(404);
        api.MapGet("/requests/{id:guid}/documents/{position:int}", DownloadAsync).WithName("GetSignedDocument")
            .Produces(200, contentType: "application/octet-stream").ProducesProblem(404);
        api.MapDelete("/requests/{id:guid}", CancelAsync).WithName("CancelSigningRequest").Produces(204).ProducesProblem(409);
        api.MapPost("/validations", ValidateAsync).WithName("ValidateSignatures").DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data").Produces<ValidationReport>().ProducesProblem(400).ProducesProblem(413);
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, IAgencyAccess access, SigningRequests requests, IOptions<SigningOptions> options, CancellationToken ct)
    {
        var token = await access.ClientAsync(http, RequestScope, ct);
        if (!token.Succeeded)
        {
            return SigningProblems.Token(http, token.Problem, RequestScope);
        }

        // The documents together are at most MaxDocumentBytes, base64 in JSON: a larger body is refused unread.
        var limit = (options.Value.MaxDocumentBytes * 4 / 3) + (1L << 20);
        RaiseBodyLimit(http, limit);
        if (http.Request.ContentLength > limit)
        {
            return SigningProblems.Of(DocumentProblems.TooLarge, $"The request body is larger than {limit} bytes.");
        }

        SigningRequestBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<SigningRequestBody>(new LimitedStream(http.Request.Body, limit), JsonSerializerOptions.Web, ct);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            return SigningProblems.Of("malformed-request", "The body is not a JSON signing request: " + ex.Message);
        }

        if (body?.Documents is null || ParseFiles(body.Documents) is not { } files)
        {
            return SigningProblems.Of("malformed-request", "documents must be a list of { name, mimeType, content (base64) }.");
        }

        if (body.CallbackUri is { } callback && (!callback.IsAbsoluteUri || (callback.Scheme != Uri.UriSchemeHttps && !callback.IsLoopback)))
        {
            return SigningProblems.Of("malformed-request", "callbackUri must be an absolute https URI.");
        }

        var level = body.Level is null ? SignatureLevel.BaselineT : SigningRequests.ParseLevel(body.Level);
        if (level is null)
        {
            return SigningProblems.Of(RequestProblems.LevelNotOffered, "level must be B-B, B-T, B-LT or B-LTA.");
        }

        var certification = string.IsNullOrWhiteSpace(body.Certification) ? null : CertificationLevels.Permission(body.Certification);
        if (!string.IsNullOrWhiteSpace(body.Certification) && certification is null)
        {
            return SigningProblems.Of(RequestProblems.CertificationNotOffered, $"certification must be one of {string.Join(", ", CertificationLevels.All)}, or omitted.");
        }

        var created = await requests.CreateAsync(
            new NewSigningRequest(files, body.Format?.Trim().ToLowerInvariant() ?? RequestFormats.Pades, level.Value, body.Visible, body.Purpose,
                Certification: certification),
            accountId: null, token.ClientId, string.IsNullOrWhiteSpace(body.Subject) ? null : body.Subject.Trim(), body.CallbackUri?.AbsoluteUri,
            "client:" + token.ClientId, ct);
        return created.Succeeded
            ? Results.Created($"{BasePath}/requests/{created.Value!.Id}", Response(http, created.Value))
            : SigningProblems.Of(created.Problem!, created.Detail!);
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, IAgencyAccess access, SigningRequests requests, CancellationToken ct)
    {
        var token = await access.ClientAsync(http, RequestScope, ct);
        if (!token.Succeeded)
        {
            return SigningProblems.Token(http, token.Problem, RequestScope);
        }

        return await requests.FindForClientAsync(id, token.ClientId!, ct) is { } view
            ? Results.Ok(Response(http, view))
            : SigningProblems.Of(RequestProblems.NotFound, "Your agency has no such signing request.");
    }

    private static async Task<IResult> DownloadAsync(Guid id, int position, HttpContext http, IAgencyAccess access, SigningRequests requests, CancellationToken ct)
    {
        var token = await access.ClientAsync(http, RequestScope, ct);
        if (!token.Succeeded)
        {
            return SigningProblems.Token(http, token.Problem, RequestScope);
        }

        return await requests.SignedDocumentAsync(id, position, null, token.ClientId, ct) is { } file
            ? Results.File(file.Content.ToArray(), file.MimeType, file.Name)
            : SigningProblems.Of(RequestProblems.NotFound, "There is no signed document here: the request is not signed yet, or its documents were deleted.");
    }

    private static async Task<IResult> CancelAsync(Guid id, HttpContext http, IAgencyAccess access, SigningRequests requests, CancellationToken ct)
    {
        var token = await access.ClientAsync(http, RequestScope, ct);
        if (!token.Succeeded)
        {
            return SigningProblems.Token(http, token.Problem, RequestScope);
        }

        return await requests.CancelAsync(id, null, token.ClientId, "client:" + token.ClientId, ct)
            ? Results.NoContent()
            : SigningProblems.Of(RequestProblems.NotPending, "Only a pending request of your agency can be cancelled.");
    }

    private static async Task<IResult> ValidateAsync(HttpContext http, IAgencyAccess access, ValidationUploads uploads, CancellationToken ct)
    {
        var token = await access.ClientAsync(http, ValidationScope, ct);
        if (!token.Succeeded)
        {
            return SigningProblems.Token(http, token.Problem, ValidationScope);
        }

        return await uploads.ValidateFormAsync(http, ct);
    }

    /// <summary>Kestrel's default body limit (30 MB) is below what these endpoints accept; they enforce their own.</summary>
    internal static void RaiseBodyLimit(HttpContext http, long limit)
    {
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
    }

    private static List<SignedFile>? ParseFiles(IReadOnlyList<DocumentBody> documents)
    {
        var files = new List<SignedFile>(documents.Count);
        foreach (var document in documents)
        {
            if (document?.Name is null || document.Content is null)
            {
                return null;
            }

            try
            {
                files.Add(new SignedFile(document.Name, document.MimeType ?? "application/octet-stream", Convert.FromBase64String(document.Content)));
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return files;
    }

    private static SigningRequestResponse Response(HttpContext http, SigningRequestView view)
    {
        var root = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        return new SigningRequestResponse(view.Id, view.State, view.Format, view.Level, new Uri($"{root}/sign/requests/{view.Id}"),
            view.CreatedAt, view.ExpiresAt, view.SignedAt, view.CertificateSerial, view.FailureCode,
            [.. view.Documents.Select(d => new SigningDocumentResponse(d.Position, d.Name, d.Size, d.Sha256, d.SignedName, d.SignedSha256,
                d.SignedSize is null ? null : new Uri($"{root}{BasePath}/requests/{view.Id}/documents/{d.Position}")))],
            CertificationLevels.Name(view.Certification));
    }
}
