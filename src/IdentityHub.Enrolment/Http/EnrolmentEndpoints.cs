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
/// The enrolment API for counter devices and batch jobs (docs/enrolment-api.md). A device authenticates with its API
/// credential and names the officer at the counter in X-Officer; the officer's roles decide what is allowed, exactly
/// as in the console. Create and issue take an Idempotency-Key.
/// </summary>
public static class EnrolmentEndpoints
{
    public const string BasePath = "/api/enrolment/v1";

    /// <summary>The OpenAPI document these endpoints belong to: GET /openapi/enrolment-v1.json.</summary>
    public const string OpenApiDocument = "enrolment-v1";
    public const string OfficerHeader = "X-Officer";
    public const string IdempotencyHeader = "Idempotency-Key";
    private const string ActorItem = "ihub:actor";
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    public static IEndpointRouteBuilder MapIdentityHubEnrolment(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(BasePath).WithTags("Enrolment").WithGroupName(OpenApiDocument)
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(ApiCredentialHandler.SchemeName).RequireAuthenticatedUser())
            .AddEndpointFilter(ResolveOfficerAsync);

        api.MapPost("/enrolments", CreateAsync).WithName("CreateEnrolment");
        api.MapGet("/enrolments/{id:guid}", async (Guid id, HttpContext http, EnrolmentService service, CancellationToken ct) =>
            Reply(await service.GetAsync(id, Actor(http), ct)));
        api.MapPut("/enrolments/{id:guid}/photo", async (Guid id, PhotoBody body, HttpContext http, EnrolmentService service, CancellationToken ct) =>
            Photo(body.Photo) is { } photo
                ? Reply(await service.AttachPhotoAsync(id, photo, Actor(http), ct))
                : ApiProblems.Of(400, "malformed_request", "photo must be a base64 JPEG or PNG."));
        api.MapPost("/enrolments/{id:guid}/duplicate-decision", async (Guid id, DuplicateDecisionBody body, HttpContext http, EnrolmentService service, CancellationToken ct) =>
            Reply(await service.DecideDuplicateAsync(id, body.SamePersonId, body.Note ?? string.Empty, Actor(http), ct)));
        api.MapPost("/enrolments/{id:guid}/verify", async (Guid id, HttpContext http, EnrolmentService service, CancellationToken ct) =>
            Reply(await service.VerifyAsync(id, Actor(http), ct)));
        api.MapPost("/enrolments/{id:guid}/approve", async (Guid id, HttpContext http, EnrolmentService service, CancellationToken ct) =>
            Reply(await service.ApproveAsync(id, Actor(http), ct)));
        api.MapPost("/enrolments/{id:guid}/cancel", async (Guid id, ReasonBody body, HttpContext http, EnrolmentService service, CancellationToken ct) =>
            Reply(await service.CancelAsync(id, body.Reason ?? string.Empty, Actor(http), ct)));
        api.MapPost("/enrolments/{id:guid}/issue", IssueAsync).WithName("IssueEid");

        api.MapGet("/persons", FindAsync);
        api.MapGet("/persons/{nationalId}", async (string nationalId, HttpContext http, PersonRegistry registry, CancellationToken ct) =>
            Reply(await registry.GetAsync(nationalId, Actor(http), ct)));

        api.MapGet("/eids/{documentNumber}", async (string documentNumber, HttpContext http, EidLifecycle lifecycle, CancellationToken ct) =>
            Reply(await lifecycle.GetAsync(documentNumber, Actor(http), ct)));
        api.MapPost("/eids/{documentNumber}/suspend", async (string documentNumber, ReasonBody body, HttpContext http, EidLifecycle lifecycle, CancellationToken ct) =>
            Reply(await lifecycle.SuspendAsync(documentNumber, body.Reason ?? string.Empty, Actor(http), ct)));
        api.MapPost("/eids/{documentNumber}/resume", async (string documentNumber, ReasonBody body, HttpContext http, EidLifecycle lifecycle, CancellationToken ct) =>
            Reply(await lifecycle.ResumeAsync(documentNumber, body.Reason ?? string.Empty, Actor(http), ct)));
        api.MapPost("/eids/{documentNumber}/revoke", async (string documentNumber, RevokeBody body, HttpContext http, EidLifecycle lifecycle, CancellationToken ct) =>
            RevocationReasons.TryParse(body.Reason, out var reason)
                ? Reply(await lifecycle.RevokeAsync(documentNumber, reason, body.Note ?? string.Empty, Actor(http), ct))
                : ApiProblems.Of(400, EnrolmentErrors.Validation, RevocationReasons.Help));
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
        api.MapPost("/eids/{documentNumber}/replace", async (string documentNumber, RevokeBody body, HttpContext http, EidLifecycle lifecycle, CancellationToken ct) =>
            RevocationReasons.TryParse(body.Reason ?? "keyCompromise", out var reason)
                ? Reply(await lifecycle.ReplaceAsync(documentNumber, reason, body.Note ?? string.Empty, Actor(http), ct))
                : ApiProblems.Of(400, EnrolmentErrors.Validation, RevocationReasons.Help));
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, EnrolmentService service, IdempotencyStore idempotency, CancellationToken ct) =>
        await IdempotentAsync(http, idempotency, async body =>
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
        }, ct);

    private static async Task<IResult> IssueAsync(Guid id, HttpContext http, EidIssuer issuer, IdempotencyStore idempotency, CancellationToken ct) =>
        await IdempotentAsync(http, idempotency, async _ =>
        {
            var outcome = await issuer.IssueAsync(id, Actor(http), ct);
            return outcome.Succeeded
                ? IdempotentReply.Created($"{BasePath}/eids/{outcome.Value!.DocumentNumber}", outcome.Value)
                : IdempotentReply.Failed(ApiProblems.From(outcome.Errors));
        }, ct);

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

    /// <summary>
    /// Runs a create/issue request once per Idempotency-Key: a retry with the same key and body gets the first answer
    /// again (Idempotent-Replayed: true); the same key with another body is refused with 422.
    /// </summary>
    private static async Task<IResult> IdempotentAsync(HttpContext http, IdempotencyStore store, Func<byte[], Task<IdempotentReply>> run, CancellationToken ct)
    {
        var key = http.Request.Headers[IdempotencyHeader].ToString();
        if (key.Length is 0 or > 128 || key.Any(c => c is < '!' or > '~'))
        {
            return ApiProblems.Of(400, "idempotency_key_missing", $"Send an {IdempotencyHeader} header (1-128 visible ASCII characters, e.g. a UUID) so that a retry never acts twice.");
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length > MaxBodyBytes)
        {
            return ApiProblems.Of(413, "malformed_request", "The body is larger than 4 MB.");
        }

        var body = buffer.ToArray();
        var hash = RequestHash(http.Request, body);
        var credentialId = Guid.Parse(http.User.FindFirstValue(ApiCredentialHandler.CredentialIdClaim)!);
        var lookup = await store.BeginAsync(credentialId, key, hash, ct);
        switch (lookup.State)
        {
            case IdempotencyState.Mismatch:
                return ApiProblems.Of(422, "idempotency_key_reused", $"This {IdempotencyHeader} was used for a different request; nothing was done. Use a new key for a new request.");
            case IdempotencyState.InProgress:
                return ApiProblems.Of(409, "idempotency_key_in_progress", "The first request with this key is still running; retry in a moment.");
            case IdempotencyState.Replay:
                http.Response.Headers["Idempotent-Replayed"] = "true";
                if (lookup.Location is not null)
                {
                    http.Response.Headers.Location = lookup.Location;
                }

                return Results.Content(lookup.Body, "application/json", statusCode: lookup.StatusCode);
        }

        try
        {
            var reply = await run(body);
            if (reply.Value is { } value)
            {
                // Only a success is kept for replay: a refused request changed nothing, and its key may be used again.
                await store.CompleteAsync(credentialId, key, StatusCodes.Status201Created, JsonSerializer.Serialize(value, value.GetType(), JsonOptions(http)),
                    reply.Location, CancellationToken.None);
                return Results.Created(reply.Location, value);
            }

            await store.AbandonAsync(credentialId, key, CancellationToken.None);
            return reply.Problem!;
        }
        catch
        {
            await store.AbandonAsync(credentialId, key, CancellationToken.None);
            throw;
        }
    }

    private static byte[] RequestHash(HttpRequest request, byte[] body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        hash.AppendData(body);
        return hash.GetHashAndReset();
    }

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

    private static StaffActor Actor(HttpContext http) => (StaffActor)http.Items[ActorItem]!;

    /// <summary>The device acts for the officer named in X-Officer; that account's roles apply.</summary>
    private static async ValueTask<object?> ResolveOfficerAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var officer = http.Request.Headers[OfficerHeader].ToString().Trim();
        if (officer.Length == 0)
        {
            return ApiProblems.Of(403, "officer_unknown", $"Name the officer at the counter in the {OfficerHeader} header.");
        }

        var roles = await http.RequestServices.GetRequiredService<IStaffDirectory>().RolesOfAsync(officer, http.RequestAborted);
        if (roles is null)
        {
            return ApiProblems.Of(403, "officer_unknown", $"There is no enabled staff account '{officer}'.");
        }

        var channel = $"api:{http.User.FindFirstValue(ApiCredentialHandler.CredentialNameClaim)}@{http.User.FindFirstValue(ApiCredentialHandler.ServicePointClaim)}";
        http.Items[ActorItem] = new StaffActor(officer, roles, channel);
        return await next(context);
    }
}

/// <summary>What a create or issue request produced: a created resource to keep for replays, or a problem.</summary>
internal sealed record IdempotentReply(object? Value, string? Location, IResult? Problem)
{
    public static IdempotentReply Created(string location, object value) => new(value, location, null);

    public static IdempotentReply Failed(IResult problem) => new(null, null, problem);
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
