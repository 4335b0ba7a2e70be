using IdentityHub.Authentication.Agencies;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Requests;
using Microsoft.AspNetCore.Http;

namespace IdentityHub.Signing.Http;

/// <summary>RFC 9457 problem details for the signing API; "code" is the stable machine-readable error.</summary>
internal static class SigningProblems
{
    private const string TypeBase = "https://identityhub.example/problems/";

    public static IResult Of(string code, string detail) => Results.Problem(
        title: Title(code), detail: detail, statusCode: Status(code), type: TypeBase + code,
        extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary>RFC 6750 §3: 401 with WWW-Authenticate for a missing or bad token, 403 insufficient_scope.</summary>
    public static IResult Token(HttpContext http, AccessTokenProblem problem, string scope)
    {
        var (status, error) = problem switch
        {
            AccessTokenProblem.InsufficientScope => (StatusCodes.Status403Forbidden, "insufficient_scope"),
            AccessTokenProblem.Missing => (StatusCodes.Status401Unauthorized, null),
            _ => (StatusCodes.Status401Unauthorized, "invalid_token"),
        };
        http.Response.Headers.WWWAuthenticate = error is null
            ? $"Bearer scope=\"{scope}\""
            : $"Bearer error=\"{error}\", scope=\"{scope}\"";
        return Results.Problem(title: status == 401 ? "A valid access token is needed" : "The access token lacks a scope",
            detail: $"Send an access token of this hub with the scope '{scope}' (client credentials) as 'Authorization: Bearer'.",
            statusCode: status, type: TypeBase + (error ?? "token-missing").Replace('_', '-'),
            extensions: new Dictionary<string, object?> { ["code"] = error ?? "token_missing" });
    }

    private static int Status(string code) => code switch
    {
        RequestProblems.NotFound => StatusCodes.Status404NotFound,
        RequestProblems.NotPending or RequestProblems.OtherCitizen => StatusCodes.Status409Conflict,
        DocumentProblems.TooLarge => StatusCodes.Status413PayloadTooLarge,
        RequestProblems.TimeStampUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    private static string Title(string code) => code switch
    {
        RequestProblems.NotFound => "Not found",
        RequestProblems.NotPending => "The request is not pending",
        DocumentProblems.TooLarge => "The document is too large",
        DocumentProblems.EncryptedPdf or DocumentProblems.DamagedPdf or DocumentProblems.NotPdf => "The PDF cannot be signed",
        DocumentProblems.XmlDtd or DocumentProblems.NotXml => "The XML cannot be signed",
        DocumentProblems.ZipBomb or DocumentProblems.NotContainer or DocumentProblems.UnsafeEntryName => "The container cannot be read",
        _ => "The request cannot be carried out",
    };
}
