using IdentityHub.Authentication.Agencies;
using Microsoft.AspNetCore.Http;

namespace IdentityHub.Signing.Csc;

/// <summary>
/// Errors in the CSC API's format (§10.1, after RFC 6749 §5.2 and RFC 6750 §3.1): 400 invalid_request for a malformed or
/// refused request, 401 invalid_token (with WWW-Authenticate) for a missing or bad token, 403 for a token that may not
/// do this (a client's own token, or one without the signing scope).
/// </summary>
internal static class CscErrors
{
    public const string InvalidRequest = "invalid_request";

    public static IResult BadRequest(string description) =>
        Results.Json(new CscError(InvalidRequest, description), statusCode: StatusCodes.Status400BadRequest);

    public static IResult Token(HttpContext http, AccessTokenProblem problem)
    {
        var (status, error, description) = problem switch
        {
            AccessTokenProblem.Missing => (401, "invalid_token", "An access token is required: 'Authorization: Bearer <token>'."),
            AccessTokenProblem.DpopBound => (401, "invalid_token", "DPoP-bound access tokens are not accepted here; use a bearer token."),
            AccessTokenProblem.InsufficientScope => (403, "insufficient_scope", "The access token lacks the 'signing' scope."),
            AccessTokenProblem.NotACitizen => (403, "access_denied",
                "A citizen's access token (authorization code flow, scope 'signing') is required; a client's own token cannot sign."),
            _ => (401, "invalid_token", "The access token is invalid or expired."),
        };
        http.Response.Headers.WWWAuthenticate = $"Bearer error=\"{error}\", error_description=\"{description}\"";
        return Results.Json(new CscError(error, description), statusCode: status);
    }
}
