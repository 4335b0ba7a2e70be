using IdentityHub.Enrolment.Http;
using Microsoft.OpenApi;

namespace IdentityHub.Server.Hosting;

/// <summary>The enrolment API's OpenAPI description, served at /openapi/enrolment-v1.json (docs/enrolment-api.md).</summary>
internal static class OpenApiExtensions
{
    public static IServiceCollection AddIdentityHubOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(EnrolmentEndpoints.OpenApiDocument, options =>
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
