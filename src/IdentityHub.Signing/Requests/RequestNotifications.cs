using System.Net.Http.Json;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Signing.Requests;

/// <summary>
/// Tells an agency that its request was signed, declined by the citizen, or failed to sign (then still "pending", with
/// a failureCode): a POST of {"id","state"} to the callback URI it
/// registered with the request, nothing else (the agency fetches the documents with its own token). Best effort, one
/// try with a short timeout; an agency that missed it polls GET /api/signing/v1/requests/{id} (docs/signing.md).
/// </summary>
public sealed partial class RequestNotifications(IHttpClientFactory clients, ILogger<RequestNotifications> logger)
{
    public const string HttpClientName = "signing-callbacks";

    public void Notify(Guid requestId, string? clientId, string? callbackUri, string state)
    {
        if (clientId is null || callbackUri is null || !Uri.TryCreate(callbackUri, UriKind.Absolute, out var target))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                using var http = clients.CreateClient(HttpClientName);
                using var response = await http.PostAsJsonAsync(target, new { id = requestId, state });
                Delivered(logger, requestId, clientId, (int)response.StatusCode);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                NotDelivered(logger, requestId, clientId, ex.GetType().Name);
            }
        });
    }

    [LoggerMessage(EventId = 7501, Level = LogLevel.Information, Message = "Signing request {RequestId}: agency {ClientId} notified, HTTP {Status}.")]
    private static partial void Delivered(ILogger logger, Guid requestId, string clientId, int status);

    [LoggerMessage(EventId = 7502, Level = LogLevel.Warning, Message = "Signing request {RequestId}: agency {ClientId} could not be notified ({Error}); it can poll the request.")]
    private static partial void NotDelivered(ILogger logger, Guid requestId, string clientId, string error);
}
