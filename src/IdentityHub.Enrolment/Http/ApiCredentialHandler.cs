using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityHub.Enrolment.Http;

/// <summary>Authenticates counter devices by "Authorization: Bearer ihub_…" (RFC 6750 §2.1 header form only).</summary>
internal sealed class ApiCredentialHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "EnrolmentApiCredential";
    public const string CredentialIdClaim = "ihub:credential";
    public const string CredentialNameClaim = "ihub:credential-name";
    public const string ServicePointClaim = "ihub:service-point";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var credentials = Context.RequestServices.GetRequiredService<ApiCredentials>();
        var record = await credentials.ValidateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (record is null)
        {
            return AuthenticateResult.Fail("The API credential is unknown, expired or revoked.");
        }

        var identity = new ClaimsIdentity(
        [
            new Claim(CredentialIdClaim, record.Id.ToString()),
            new Claim(CredentialNameClaim, record.Name),
            new Claim(ServicePointClaim, record.ServicePoint),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"identityhub-enrolment\"";
        await Results.Problem(statusCode: 401, title: "Authentication required",
            detail: "Send the counter device's API credential as 'Authorization: Bearer ihub_…'; it may be unknown, expired or revoked.",
            type: "https://identityhub.example/problems/unauthenticated").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(statusCode: 403, title: "Forbidden", type: "https://identityhub.example/problems/forbidden").ExecuteAsync(Context);
    }
}
