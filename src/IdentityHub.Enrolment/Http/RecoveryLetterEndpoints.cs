using System.Security.Claims;
using System.Text.Json;
using IdentityHub.Enrolment.Letters;
using IdentityHub.Enrolment.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IdentityHub.Enrolment.Http;

/// <summary>
/// POST /persons/{nationalId}/recovery-letter: the officer on the device checked the person's identity document and
/// prints an account recovery letter (PDF). Like create and issue it takes an Idempotency-Key, so a retry never prints
/// a second letter; but the PDF holds a one-time code that the hub never keeps in clear, so a replay cannot be answered
/// with the first PDF: it is refused (409, after the caller's rights are checked again) and says to print a new letter
/// with a new key if the first one was lost — the new letter then replaces it.
/// </summary>
internal static class RecoveryLetterEndpoints
{
    public static void MapRecoveryLetters(this IEndpointRouteBuilder api) =>
        api.MapPost("/persons/{nationalId}/recovery-letter", PrintAsync).WithName("PrintRecoveryLetter")
            .Accepts<RecoveryLetterBody>("application/json").Produces(StatusCodes.Status200OK, contentType: "application/pdf");

    private static async Task<IResult> PrintAsync(string nationalId, HttpContext http, RecoveryLetters letters, RecoveryLetterRenderer renderer,
        PersonRegistry registry, IdempotencyStore idempotency, CancellationToken ct)
    {
        if (IdempotentRequests.KeyOf(http) is not { } key)
        {
            return IdempotentRequests.KeyMissing();
        }

        var body = await IdempotentRequests.ReadBodyAsync(http, ct);
        if (body is null)
        {
            return IdempotentRequests.TooLarge();
        }

        RecoveryLetterBody? request;
        try
        {
            request = body.Length == 0 ? null : JsonSerializer.Deserialize<RecoveryLetterBody>(body, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is null)
        {
            return ApiProblems.Of(400, "malformed_request", "Send {\"identityDocumentChecked\": true} once you checked the person's identity document.");
        }

        var actor = OfficerSessionEndpoints.ActorOf(http);
        var credentialId = Guid.Parse(http.User.FindFirstValue(ApiCredentialHandler.CredentialIdClaim)!);
        var lookup = await idempotency.BeginAsync(credentialId, key, IdempotentRequests.RequestHash(http.Request, body), ct);
        switch (lookup.State)
        {
            case IdempotencyState.Mismatch:
                return ApiProblems.Of(422, "idempotency_key_reused",
                    $"This {EnrolmentEndpoints.IdempotencyHeader} was used for a different request; nothing was done. Use a new key for a new request.");
            case IdempotencyState.InProgress:
                return ApiProblems.Of(409, "idempotency_key_in_progress", "The first request with this key is still running; retry in a moment.");
            case IdempotencyState.Replay:
                var look = await registry.GetAsync(nationalId, actor, ct);
                return look.Succeeded
                    ? ApiProblems.Of(409, "recovery_letter_already_printed",
                        "This key already printed a recovery letter; its code is never shown twice. If that PDF was lost, print a new letter with a new key: the earlier letter then stops working.")
                    : ApiProblems.From(look.Errors);
        }

        try
        {
            var printed = await letters.PrintAtCounterAsync(nationalId, request.IdentityDocumentChecked == true, actor, ct);
            if (!printed.Succeeded)
            {
                await idempotency.AbandonAsync(credentialId, key, CancellationToken.None);
                return ApiProblems.From(printed.Errors);
            }

            var pdf = renderer.Render(printed.Value!);
            await idempotency.CompleteAsync(credentialId, key, StatusCodes.Status200OK,
                JsonSerializer.Serialize(new { letter = printed.Value!.LetterId }), null, CancellationToken.None);
            // The PDF holds a one-time code: no cache may keep it.
            http.Response.Headers.CacheControl = "no-store";
            return Results.File(pdf, "application/pdf", "recovery-letter.pdf");
        }
        catch
        {
            await idempotency.AbandonAsync(credentialId, key, CancellationToken.None);
            throw;
        }
    }
}
