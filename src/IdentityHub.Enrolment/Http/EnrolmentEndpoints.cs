using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using IdentityHub.Enrolment.Issuance;
using IdentityHub.Enrolment.Lifecycle;
using IdentityHub.Enrolment.Proofing;
using IdentityHub.Enrolment.Registry;
using IdentityHub.Pki;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityHub.Enrolment.Http;

/// <summary>
/// The enrolment API for counter devices (docs/enrolment-api.md). A device authenticates with its API credential, which
/// says which desk; every call also carries the officer session of the officer signed in on that device
/// (<see cref="OfficerSessionEndpoints"/>), which says who: that officer's roles and service point decide what is
/// allowed and visible, exactly as in the console. Create and issue take an Idempotency-Key.
/// </summary>
public static class EnrolmentEndpoints
{
    public const string BasePath = "/api/enrolment/v1";

    /// <summary>The OpenAPI document these endpoints belong to: GET /openapi/enrolment-v1.json.</summary>
    public const string OpenApiDocument = "enrolment-v1";
    public const string IdempotencyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapIdentityHubEnrolment(this IEndpointRouteBuilder endpoints)
    {
        // Every route: the device's credential, and no body above the limit (refused before it is read).
        var device = endpoints.MapGroup(BasePath).WithTags("Enrolment").WithGroupName(OpenApiDocument)
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(ApiCredentialHandler.SchemeName).RequireAuthenticatedUser())
            .WithMetadata(new BodySizeLimit(IdempotentRequests.MaxBodyBytes))
            .AddEndpointFilter(IdempotentRequests.RefuseOversizedAsync);
        device.MapIdentityHubOfficerSessions();
        var api = device.MapGroup("").AddEndpointFilter(OfficerSessionEndpoints.ResolveOfficerAsync).AddEndpointFilter(JsonBodies.RefuseUnreadableAsync);

        api.MapPost("/enrolments", CreateAsync).WithName("CreateEnrolment");
        api.MapGet("/enrolments/{id:guid}", async (Guid id, HttpContext http, EnrolmentService service, CancellationToken ct) =>
            Reply(await service.GetAsync(id, Actor(http), ct)));
        api.MapPut("/enrolments/{id:guid}/photo", async (Guid id, JsonBody<PhotoBody> body, HttpContext http, EnrolmentService service, CancellationToken ct) =>
            Photo(body.Value.Photo) is { } photo
                ? Reply(await service.AttachPhotoAsync(id, photo, Actor(http), ct))
                : ApiProblems.Of(400, "malformed_request", "photo must be a base64 JPEG or PNG."))
            .Accepts<PhotoBody>("application/json");
        api.MapPost("/enrolments/{id:guid}/duplicate-decision", async (Guid id, JsonBody<DuplicateDecisionBody> body, HttpContext http, EnrolmentService service, CancellationToken ct) =>
            Reply(await service.DecideDuplicateAsync(id, body.Value.SamePersonId, body.Value.Note ?? string.Empty, Actor(http), ct)))
            .Accepts<DuplicateDecisionBody>("application/json");
        api.MapPost("/enrolments/{id:guid}/verify", async (Guid id, HttpContext http, EnrolmentService service, CancellationToken ct) =>
            Reply(await service.VerifyAsync(id, Actor(http), ct)));
        api.MapPost("/enrolments/{id:guid}/approve", async (Guid id, HttpContext http, EnrolmentService service, CancellationToken ct) =>
            Reply(await service.ApproveAsync(id, Actor(http), ct)));
        api.MapPost("/enrolments/{id:guid}/cancel", async (Guid id, JsonBody<ReasonBody> body, HttpContext http, EnrolmentService service, CancellationToken ct) =>
            Reply(await service.CancelAsync(id, body.Value.Reason ?? string.Empty, Actor(http), ct)))
            .Accepts<ReasonBody>("application/json");
        api.MapPost("/enrolments/{id:guid}/issue", IssueAsync).WithName("IssueEid");

        api.MapGet("/persons", FindAsync);
        api.MapGet("/persons/{nationalId}", async (string nationalId, HttpContext http, PersonRegistry registry, CancellationToken ct) =>
            Reply(await registry.GetAsync(nationalId, Actor(http), ct)));
        api.MapRecoveryLetters();

        api.MapGet("/eids/{documentNumber}", async (string documentNumber, HttpContext http, EidLifecycle lifecycle, CancellationToken ct) =>
            Reply(await lifecycle.GetAsync(documentNumber, Actor(http), ct)));
        api.MapPost("/eids/{documentNumber}/suspend", async (string documentNumber, JsonBody<ReasonBody> body, HttpContext http, EidLifecycle lifecycle, CancellationToken ct) =>
            Reply(await lifecycle.SuspendAsync(documentNumber, body.Value.Reason ?? string.Empty, Actor(http), ct)))
            .Accepts<ReasonBody>("application/json");
        api.MapPost("/eids/{documentNumber}/resume", async (string documentNumber, JsonBody<ReasonBody> body, HttpContext http, EidLifecycle lifecycle, CancellationToken ct) =>
            Reply(await lifecycle.ResumeAsync(documentNumber, body.Value.Reason ?? string.Empty, Actor(http), ct)))
            .Accepts<ReasonBody>("application/json");
        api.MapPost("/eids/{documentNumber}/revoke", async (string documentNumber, JsonBody<RevokeBody> body, HttpContext http, EidLifecycle lifecycle, CancellationToken ct) =>
            RevocationReasons.TryParse(body.Value.Reason, out var reason)
                ? Reply(await lifecycle.RevokeAsync(documentNumber, reason, body.Value.Note ?? string.Empty, Actor(http), ct))
                : ApiProblems.Of(400, EnrolmentErrors.Validation, RevocationReasons.Help))
            .Accepts<RevokeBody>("application/json");
        api.MapPost("/eids/{documentNumber}/activation-letter", async (string documentNumber, HttpContext http, EidLifecycle lifecycle, ActivationLetterRenderer letters, CancellationToken ct) =>
        {
            var printed = await lifecycle.PrintLetterAsync(documentNumber, Actor(http), ct);
            if (!printed.Succeeded)
            {
                return ApiProblems.From(printed.Errors);
            }

            // The PDF holds a one-time code: no cache may keep it.
            http.Response.Headers.CacheControl = "no-store";
            return Results.File(letters.Render(printed.Value!), "application/pdf", $"activation-letter-{printed.Value!.DocumentNumber}.pdf");
        });
        api.MapPost("/eids/{documentNumber}/renew", async (string documentNumber, HttpContext http, EidLifecycle lifecycle, CancellationToken ct) =>
            Reply(await lifecycle.RenewAsync(documentNumber, Actor(http), ct)));
        api.MapPost("/eids/{documentNumber}/replace", async (string documentNumber, JsonBody<RevokeBody> body, HttpContext http, EidLifecycle lifecycle, CancellationToken ct) =>
            RevocationReasons.TryParse(body.Value.Reason ?? "keyCompromise", out var reason)
                ? Reply(await lifecycle.ReplaceAsync(documentNumber, reason, body.Value.Note ?? string.Empty, Actor(http), ct))
                : ApiProblems.Of(400, EnrolmentErrors.Validation, RevocationReasons.Help))
            .Accepts<RevokeBody>("application/json");
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, EnrolmentService service, IdempotencyStore idempotency, CancellationToken ct) =>
        await IdempotentRequests.RunAsync(http, idempotency, async body =>
        {
            CreateEnrolmentBody? request;
            try
            {
                request = JsonSerializer.Deserialize<CreateEnrolmentBody>(body, JsonOptions(http));
            }
            catch (JsonException ex)
            {
                return IdempotentReply.Failed(ApiProblems.Of(400, "malformed_request", $"The body is not a valid enrolment: {ex.Message}"));
            }

            if (request is null)
            {
                return IdempotentReply.Failed(ApiProblems.Of(400, "malformed_request", "The body is empty."));
            }

            FacePhoto? photo = null;
            if (request.Photo is not null && (photo = Photo(request.Photo)) is null)
            {
                return IdempotentReply.Failed(ApiProblems.Of(400, "malformed_request", "photo must be a base64 JPEG or PNG."));
            }

            var servicePoint = http.User.FindFirstValue(ApiCredentialHandler.ServicePointClaim)!;
            var outcome = await service.CreateAsync(request with { ServicePoint = servicePoint }, photo, Actor(http), ct);
            return outcome.Succeeded
                ? IdempotentReply.Created($"{BasePath}/enrolments/{outcome.Value!.Id}", outcome.Value)
                : IdempotentReply.Failed(ApiProblems.From(outcome.Errors));
        }, async location => Guid.TryParse(location?[(location.LastIndexOf('/') + 1)..], out var id)
            ? Refusal(await service.GetAsync(id, Actor(http), ct))
            : ApiProblems.Of(404, EnrolmentErrors.NotFound, "The enrolment this key created is gone."), ct);

    private static async Task<IResult> IssueAsync(Guid id, HttpContext http, EidIssuer issuer, EidLifecycle lifecycle, IdempotencyStore idempotency, CancellationToken ct) =>
        await IdempotentRequests.RunAsync(http, idempotency, async _ =>
        {
            var outcome = await issuer.IssueAsync(id, Actor(http), ct);
            return outcome.Succeeded
                ? IdempotentReply.Created($"{BasePath}/eids/{outcome.Value!.DocumentNumber}", outcome.Value)
                : IdempotentReply.Failed(ApiProblems.From(outcome.Errors));
        }, async location => Refusal(await lifecycle.GetAsync(location?[(location.LastIndexOf('/') + 1)..] ?? "", Actor(http), ct)), ct);

    private static async Task<IResult> FindAsync(HttpContext http, PersonRegistry registry, string? nationalId, string? documentNumber,
        string? surname, string? givenNames, string? dateOfBirth, CancellationToken ct)
    {
        var actor = Actor(http);
        if (!string.IsNullOrWhiteSpace(nationalId))
        {
            return Reply(await registry.FindByNationalIdAsync(nationalId, actor, ct));
        }

        if (!string.IsNullOrWhiteSpace(documentNumber))
        {
            return Reply(await registry.FindByDocumentNumberAsync(documentNumber, actor, ct));
        }

        if (!string.IsNullOrWhiteSpace(surname) && DateOnly.TryParseExact(dateOfBirth, "yyyy-MM-dd", out var birth))
        {
            return Reply(await registry.FindByNameAsync(surname, givenNames ?? string.Empty, birth, actor, ct));
        }

        return ApiProblems.Of(400, EnrolmentErrors.Validation,
            "Search by nationalId, by documentNumber, or by surname (+ givenNames) with dateOfBirth (yyyy-MM-dd).");
    }

    /// <summary>Null when the outcome succeeded, otherwise its problem (used to re-check a replay's rights).</summary>
    private static IResult? Refusal<T>(Outcome<T> outcome) => outcome.Succeeded ? null : ApiProblems.From(outcome.Errors);

    private static JsonSerializerOptions JsonOptions(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

    private static FacePhoto? Photo(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            return null;
        }

        try
        {
            var bytes = Convert.FromBase64String(base64);
            return new FacePhoto("application/octet-stream", bytes);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static IResult Reply<T>(Outcome<T> outcome) =>
        outcome.Succeeded ? Results.Ok(outcome.Value) : ApiProblems.From(outcome.Errors);

    private static StaffActor Actor(HttpContext http) => OfficerSessionEndpoints.ActorOf(http);
}

/// <summary>RFC 5280 reason names as the API and hubctl accept them.</summary>
public static class RevocationReasons
{
    public const string Help = "reason must be one of: unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation, privilegeWithdrawn.";

    public static bool TryParse(string? name, out RevocationReason reason)
    {
        reason = default;
        return Enum.TryParse(name, ignoreCase: true, out reason) && EidLifecycle.OfficerReasons.Contains(reason)
            && !int.TryParse(name, out _);
    }
}
