using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityHub.Enrolment.Http;

/// <summary>What a create or issue request produced: a created resource to keep for replays, or a problem.</summary>
internal sealed record IdempotentReply(object? Value, string? Location, IResult? Problem)
{
    public static IdempotentReply Created(string location, object value) => new(value, location, null);

    public static IdempotentReply Failed(IResult problem) => new(null, null, problem);
}

/// <summary>
/// Runs a create/issue request once per Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): a retry with the
/// same key and body gets the first answer again (Idempotent-Replayed: true); the same key with another body is refused
/// with 422. A replay is a read of what the first request made, so the caller's rights are checked again first: an
/// officer who may not see that resource (another officer on the device, a session ended, a record out of scope) gets
/// the refusal, never the stored answer.
/// </summary>
internal static class IdempotentRequests
{
    /// <summary>The largest body the enrolment API reads (a JPEG face photo in base64 fits with room to spare).</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <param name="authorizeReplay">Given the stored Location, null when the caller may see it again, otherwise the refusal.</param>
    public static async Task<IResult> RunAsync(HttpContext http, IdempotencyStore store, Func<byte[], Task<IdempotentReply>> run,
        Func<string?, Task<IResult?>> authorizeReplay, CancellationToken ct)
    {
        if (KeyOf(http) is not { } key)
        {
            return KeyMissing();
        }

        var body = await ReadBodyAsync(http, ct);
        if (body is null)
        {
            return TooLarge();
        }

        var hash = RequestHash(http.Request, body);
        var credentialId = Guid.Parse(http.User.FindFirstValue(ApiCredentialHandler.CredentialIdClaim)!);
        var lookup = await store.BeginAsync(credentialId, key, hash, ct);
        switch (lookup.State)
        {
            case IdempotencyState.Mismatch:
                return ApiProblems.Of(422, "idempotency_key_reused",
                    $"This {EnrolmentEndpoints.IdempotencyHeader} was used for a different request; nothing was done. Use a new key for a new request.");
            case IdempotencyState.InProgress:
                return ApiProblems.Of(409, "idempotency_key_in_progress", "The first request with this key is still running; retry in a moment.");
            case IdempotencyState.Replay:
                if (await authorizeReplay(lookup.Location) is { } refusal)
                {
                    return refusal;
                }

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

    /// <summary>The request's Idempotency-Key when it is well formed (1-128 visible ASCII characters), else null.</summary>
    public static string? KeyOf(HttpContext http)
    {
        var key = http.Request.Headers[EnrolmentEndpoints.IdempotencyHeader].ToString();
        return key.Length is 0 or > 128 || key.Any(c => c is < '!' or > '~') ? null : key;
    }

    public static IResult KeyMissing() => ApiProblems.Of(400, "idempotency_key_missing",
        $"Send an {EnrolmentEndpoints.IdempotencyHeader} header (1-128 visible ASCII characters, e.g. a UUID) so that a retry never acts twice.");

    /// <summary>
    /// The enrolment API refuses an oversized body before reading it: by its Content-Length when it declares one, and
    /// by the server's body limit (set on every enrolment endpoint) when it is sent in chunks.
    /// </summary>
    public static IResult TooLarge() =>
        ApiProblems.Of(StatusCodes.Status413PayloadTooLarge, "payload_too_large", $"The body is larger than {MaxBodyBytes / (1024 * 1024)} MB; nothing was read or done.");

    /// <summary>Endpoint filter: a declared Content-Length above the limit is answered before anything reads the body.</summary>
    public static async ValueTask<object?> RefuseOversizedAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.Request.ContentLength > MaxBodyBytes ? TooLarge() : await next(context);

    /// <summary>Caps what the server reads of this request's body (Kestrel stops a chunked body at the limit).</summary>
    public static void LimitBody(HttpContext http)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }
    }

    public static async Task<byte[]?> ReadBodyAsync(HttpContext http, CancellationToken ct)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        try
        {
            await http.Request.Body.CopyToAsync(buffer, ct);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.Length > MaxBodyBytes ? null : buffer.ToArray();
    }

    public static byte[] RequestHash(HttpRequest request, byte[] body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        hash.AppendData(body);
        return hash.GetHashAndReset();
    }

    private static JsonSerializerOptions JsonOptions(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
}
