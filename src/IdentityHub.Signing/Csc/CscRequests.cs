using System.Text.Json;
using IdentityHub.Data.Accounts;
using IdentityHub.Authentication.Agencies;
using IdentityHub.Signing.Signers;
using Microsoft.AspNetCore.Http;

namespace IdentityHub.Signing.Csc;

/// <summary>A CSC call's body and caller, or the CSC error to answer instead.</summary>
internal sealed record CscCall<T>(T? Body, HubAccount? Citizen, CitizenSignatureCredential? Credential, string? ClientId, IResult? Error)
    where T : class;

/// <summary>
/// Reads a CSC request: the citizen's access token with the signing scope (<see cref="IAgencyAccess"/>), their signature
/// credential, and the JSON body (CSC §10: application/json, names as the specification spells them).
/// </summary>
internal static class CscRequests
{
    /// <summary>The largest body accepted: a batch of 100 SHA-512 hashes in base64 with room to spare.</summary>
    public const long MaxBodyBytes = 64 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General) { PropertyNameCaseInsensitive = false };

    /// <param name="whenEmpty">The body to assume when none is sent (methods whose parameters are all optional).</param>
    public static async Task<CscCall<T>> ReadAsync<T>(HttpContext http, IAgencyAccess tokens, CitizenSigners signers, CancellationToken ct, T? whenEmpty = null)
        where T : class
    {
        var holder = await tokens.CitizenAsync(http, CscEndpoints.Scope, ct);
        if (!holder.Succeeded)
        {
            return new CscCall<T>(null, null, null, null, CscErrors.Token(http, holder.Problem));
        }

        var body = whenEmpty is not null && http.Request.ContentLength is 0 or null && http.Request.Headers.TransferEncoding.Count == 0
            ? (whenEmpty, null)
            : await BodyAsync<T>(http, ct);
        if (body.Error is not null)
        {
            return new CscCall<T>(null, holder.Citizen, null, holder.ClientId, body.Error);
        }

        var credential = holder.Citizen!.PersonId is { } personId ? await signers.FindAsync(personId, ct) : null;
        return new CscCall<T>(body.Value, holder.Citizen, credential, holder.ClientId, null);
    }

    public static async Task<(T? Value, IResult? Error)> BodyAsync<T>(HttpContext http, CancellationToken ct)
        where T : class
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return (null, CscErrors.BadRequest($"The request body is larger than {MaxBodyBytes} bytes."));
        }

        if (http.Request.ContentLength == 0)
        {
            return (null, CscErrors.BadRequest("The request body is empty: send a JSON object."));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(http.Request.Body, Json, ct);
            return value is null ? (null, CscErrors.BadRequest("The request body is empty: send a JSON object.")) : (value, null);
        }
        catch (JsonException)
        {
            return (null, CscErrors.BadRequest("The request body is not valid JSON for this method."));
        }
    }

    /// <summary>Each base64 hash decoded (CSC §11.9: standard base64), or null when one is not base64.</summary>
    public static List<byte[]>? Hashes(IReadOnlyList<string>? hashes)
    {
        if (hashes is null)
        {
            return null;
        }

        var decoded = new List<byte[]>(hashes.Count);
        foreach (var hash in hashes)
        {
            var buffer = new byte[((hash?.Length ?? 0) * 3 / 4) + 3];
            if (hash is null || !Convert.TryFromBase64String(hash, buffer, out var written))
            {
                return null;
            }

            decoded.Add(buffer[..written]);
        }

        return decoded;
    }
}
