using IdentityHub.Enrolment.Http;
using IdentityHub.Signing.Csc;
using IdentityHub.Signing.Http;
using Microsoft.OpenApi;

namespace IdentityHub.Server.Hosting;

/// <summary>
/// The OpenAPI descriptions: the enrolment API at /openapi/enrolment-v1.json (docs/enrolment-api.md) and the CSC API v2
/// subset at /openapi/csc-v2.json, the agency signing API at /openapi/signing-v1.json (docs/signing.md).
/// </summary>
internal static class OpenApiExtensions
{
    public static IServiceCollection AddIdentityHubOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(AgencySigningEndpoints.OpenApiDocument, options =>
        {
            options.ShouldInclude = description => description.GroupName == AgencySigningEndpoints.OpenApiDocument;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "IdentityHub signing API for agencies",
                    Version = "v1",
                    Description = "Ask a citizen to sign documents with their qualified signature (PAdES, XAdES, CAdES, ASiC-E), follow the "
                        + "request, fetch the signed documents, and validate any signed file (ETSI EN 319 102-1 report). Calls send the "
                        + "agency's access token from the hub's OpenID provider (client credentials) with the scope 'signature_requests' "
                        + "or 'signature_validation' as 'Authorization: Bearer …'. The citizen signs in the portal at the request's signUrl "
                        + "with a passkey or TOTP bound to the documents' SHA-256 (sole control, SCAL2). Errors are RFC 9457 problem details "
                        + "with a stable 'code' (docs/signing.md).",
                };
                return Task.CompletedTask;
            });
        }).AddOpenApi(CscEndpoints.OpenApiDocument, options =>
        {
            options.ShouldInclude = description => description.GroupName == CscEndpoints.OpenApiDocument;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "IdentityHub CSC API (remote signing)",
                    Version = "v2",
                    Description = "The Cloud Signature Consortium API v2.0 subset: info, credentials/list, credentials/info, credentials/authorize "
                        + "and signatures/signHash. Calls send the citizen's access token from the hub's OpenID provider (authorization code "
                        + "flow with PKCE, scope 'signing') as 'Authorization: Bearer …'; a client's own token (client credentials) cannot "
                        + "sign. Authorization is explicit at SCAL2: credentials/authorize takes the hashes and the citizen's TOTP code "
                        + "(authData id 'OTP') and returns a SAD that signs exactly those hashes, once, within expiresIn seconds. Errors are "
                        + "{ \"error\", \"error_description\" } with HTTP 400, 401 or 403.",
                };
                return Task.CompletedTask;
            });
        }).AddOpenApi(EnrolmentEndpoints.OpenApiDocument, options =>
        {
            options.ShouldInclude = description => description.GroupName == EnrolmentEndpoints.OpenApiDocument;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "IdentityHub enrolment API",
                    Version = "v1",
                    Description = "Counter devices enrol people and manage eIDs. Every call sends the device's "
                        + "'Authorization: Bearer ihub_…' (an API credential bound to a service point) and the session of the officer signed in on "
                        + "that device in 'X-Officer-Session: ihos_…' (POST /officer-sessions with the officer's password, then a TOTP code or a "
                        + "passkey). POST /enrolments and POST /enrolments/{id}/issue require an Idempotency-Key header. "
                        + "Errors are RFC 9457 problem details with a stable 'code' (docs/enrolment-api.md).",
                };
                return Task.CompletedTask;
            });
        });

    public static IEndpointRouteBuilder MapIdentityHubOpenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi("/openapi/{documentName}.json");
        return endpoints;
    }
}
