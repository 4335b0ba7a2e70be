using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Enrolment.Http;

/// <summary>POST /officer-sessions: the officer's own user name and password, typed at the counter device.</summary>
public sealed record OfficerPasswordBody(string? UserName, string? Password);

/// <summary>POST /officer-sessions/current/totp: the code of the officer's authenticator app.</summary>
public sealed record OfficerTotpBody(string? Code);

/// <summary>POST /officer-sessions/current/passkey: the answer to the options (PublicKeyCredential.toJSON()).</summary>
public sealed record OfficerPasskeyBody(Guid ChallengeId, JsonElement Credential);

/// <summary>
/// Officers sign in on a counter device (docs/enrolment-api.md, "Officer sessions"): their password, then a TOTP code or a
/// passkey, give a short-lived officer session token that the device sends as X-Officer-Session with every call. The
/// token works only together with the credential of the device it was made on; officer A's session on device B is
/// refused (and ended). Two officers on one device each sign in with their own factors and the device sends the session
/// of whoever acts: an approval is the approving supervisor's own session, never the recording officer's.
/// </summary>
public static class OfficerSessionEndpoints
{
    public const string SessionHeader = "X-Officer-Session";
    private const string ActorItem = "ihub:actor";

    internal static RouteGroupBuilder MapIdentityHubOfficerSessions(this RouteGroupBuilder device)
    {
        var sessions = device.MapGroup("/officer-sessions").WithTags("Officer sessions").AddEndpointFilter(JsonBodies.RefuseUnreadableAsync);
        sessions.MapPost("", async (JsonBody<OfficerPasswordBody> body, HttpContext http, ICounterOfficers officers, CancellationToken ct) =>
            Step(await officers.PasswordAsync(DeviceOf(http), body.Value.UserName ?? "", body.Value.Password ?? "", http, ct), StatusCodes.Status201Created))
            .WithName("StartOfficerSession")
            .Accepts<OfficerPasswordBody>("application/json");
        sessions.MapPost("/current/totp", async (JsonBody<OfficerTotpBody> body, HttpContext http, ICounterOfficers officers, CancellationToken ct) =>
            Token(http) is { } token ? Step(await officers.TotpAsync(DeviceOf(http), token, body.Value.Code ?? "", ct)) : MissingSession())
            .WithName("OfficerSessionTotp")
            .Accepts<OfficerTotpBody>("application/json");
        sessions.MapPost("/current/passkey-options", async (HttpContext http, ICounterOfficers officers, CancellationToken ct) =>
        {
            if (Token(http) is not { } token)
            {
                return MissingSession();
            }

            var (challengeId, options, error) = await officers.PasskeyOptionsAsync(DeviceOf(http), token, http, ct);
            return error is not null ? Problem(error) : Results.Ok(new { challengeId, options = JsonNode.Parse(options!) });
        }).WithName("OfficerSessionPasskeyOptions");
        sessions.MapPost("/current/passkey", async (JsonBody<OfficerPasskeyBody> body, HttpContext http, ICounterOfficers officers, CancellationToken ct) =>
            Token(http) is { } token
                ? Step(await officers.PasskeyAsync(DeviceOf(http), token, body.Value.ChallengeId, body.Value.Credential.GetRawText(), http, ct))
                : MissingSession())
            .WithName("OfficerSessionPasskey")
            .Accepts<OfficerPasskeyBody>("application/json");
        sessions.MapGet("/current", async (HttpContext http, ICounterOfficers officers, CancellationToken ct) =>
        {
            if (Token(http) is not { } token)
            {
                return MissingSession();
            }

            var (_, session, error) = await officers.ResolveAsync(DeviceOf(http), token, ct);
            return error is not null ? Problem(error) : Results.Ok(new { status = "signed_in", officer = session });
        }).WithName("CurrentOfficerSession");
        sessions.MapDelete("/current", async (HttpContext http, ICounterOfficers officers, CancellationToken ct) =>
            Token(http) is { } token && await officers.SignOutAsync(DeviceOf(http), token, ct)
                ? Results.NoContent()
                : Problem("officer_session_invalid"))
            .WithName("EndOfficerSession");
        return sessions;
    }

    /// <summary>The staff actor of this request: the officer whose session the device sent (set by <see cref="ResolveOfficerAsync"/>).</summary>
    internal static StaffActor ActorOf(HttpContext http) => (StaffActor)http.Items[ActorItem]!;

    /// <summary>Every enrolment call: a complete officer session made on this very device, or 401 and nothing is done.</summary>
    internal static async ValueTask<object?> ResolveOfficerAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (Token(http) is not { } token)
        {
            return MissingSession();
        }

        var (actor, _, error) = await http.RequestServices.GetRequiredService<ICounterOfficers>().ResolveAsync(DeviceOf(http), token, http.RequestAborted);
        if (actor is null)
        {
            return Problem(error ?? "officer_session_invalid");
        }

        http.Items[ActorItem] = actor;
        return await next(context);
    }

    internal static CounterDeviceInfo DeviceOf(HttpContext http) => new(
        Guid.Parse(http.User.FindFirstValue(ApiCredentialHandler.CredentialIdClaim)!),
        http.User.FindFirstValue(ApiCredentialHandler.CredentialNameClaim)!,
        http.User.FindFirstValue(ApiCredentialHandler.ServicePointClaim)!);

    private static string? Token(HttpContext http)
    {
        var value = http.Request.Headers[SessionHeader].ToString().Trim();
        return value.Length == 0 ? null : value;
    }

    private static IResult Step(OfficerSignInStep step, int success = StatusCodes.Status200OK) =>
        step.Status == "refused" ? Problem(step.Error ?? "officer_session_invalid")
            : Results.Json(new { status = step.Status, sessionToken = step.Token, methods = step.Methods, officer = step.Officer }, statusCode: success);

    private static IResult MissingSession() => new WithChallenge(ApiProblems.Of(StatusCodes.Status401Unauthorized, "officer_session_required",
        $"Sign the officer in on this device (POST {EnrolmentEndpoints.BasePath}/officer-sessions) and send the session token in {SessionHeader}."));

    /// <summary>A refusal of the sign-in or of the session, with a status that tells the device what to do.</summary>
    private static IResult Problem(string error)
    {
        var (status, detail) = error switch
        {
            "wrong_credentials" => (401, "The user name or password is wrong, or the account is locked or disabled."),
            "wrong_code" => (401, "The code is wrong."),
            "replayed_code" => (401, "This code was used already: wait for the next one."),
            "passkey_refused" => (401, "The passkey's answer was refused."),
            "officer_session_invalid" => (401, "The officer session is unknown, ended or expired: the officer signs in again."),
            "second_factor_pending" => (401, "The officer session still waits for its second factor."),
            "officer_session_of_another_device" => (401, "This officer session was made on another counter device; it has been ended. Sign in on this device."),
            "locked_out" => (403, "The account is locked after too many failed attempts, or disabled."),
            "not_an_officer" => (403, "Only officers and supervisors sign in on counter devices."),
            "not_assigned_here" => (403, "This officer is not assigned to this device's service point."),
            "password_change_required" => (403, "The account still has its one-time password: sign in to the console first and choose a password."),
            "second_factor_not_set_up" => (403, "The account has no authenticator app or passkey yet: set one up in the console first."),
            "method_not_allowed" => (400, "This account cannot use that second factor."),
            "already_signed_in" => (409, "The officer session is complete already."),
            _ => (401, "The officer session was refused."),
        };
        var result = ApiProblems.Of(status, error, detail);
        return status == 401 ? new WithChallenge(result) : result;
    }

    /// <summary>A 401 names how to authenticate (RFC 9110 §11.6.1): here, with an officer session.</summary>
    private sealed class WithChallenge(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.WWWAuthenticate = $"OfficerSession realm=\"identityhub-enrolment\", header=\"{SessionHeader}\"";
            return inner.ExecuteAsync(httpContext);
        }
    }
}
