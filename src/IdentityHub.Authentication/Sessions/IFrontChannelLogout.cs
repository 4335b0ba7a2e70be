using Microsoft.AspNetCore.Http;

namespace IdentityHub.Authentication.Sessions;

/// <summary>
/// Agencies that learn of a logout only through the citizen's browser (SAML Single Logout, saml-profiles-2.0-os §4.4).
/// When a citizen signs out in a browser, the implementation ends the session and records, in the same transaction,
/// which of them the browser must visit; it returns the hub page that takes the browser there and on to
/// <c>returnUrl</c>, or null when the session signed in to none (the session is ended either way).
/// <c>initiatingClient</c> is the OIDC client whose logout request this is: it knows, and is not reported as untold.
/// </summary>
public interface IFrontChannelLogout
{
    Task<string?> EndAsync(HttpContext http, Guid accountId, Guid sessionId, string reason, string returnUrl, string? initiatingClient, CancellationToken ct);
}

/// <summary>How far one agency of an ended session got in being told of the end.</summary>
public enum AgencyLogoutState
{
    /// <summary>The agency confirmed it (a 2xx to a back-channel logout token, a Success LogoutResponse).</summary>
    Confirmed,

    /// <summary>It is being told and has not answered yet.</summary>
    Pending,

    /// <summary>It was told and refused, or could not be reached, or gave no answer.</summary>
    Failed,

    /// <summary>It has no logout endpoint: the hub cannot tell it.</summary>
    Unreachable,
}

/// <summary>An agency of an ended session, by the name citizens see, and whether it knows.</summary>
public sealed record AgencyLogout(string Protocol, string Id, string DisplayName, AgencyLogoutState State);

/// <summary>
/// Reports, for sessions that ended, the agencies told by a channel other than the browser (OpenID Connect back-channel
/// logout) and how far each got, so that a logout can report honestly whether every agency knows.
/// </summary>
public interface ISessionLogoutReport
{
    Task<IReadOnlyList<AgencyLogout>> OfAsync(IReadOnlyCollection<Guid> sessionIds, CancellationToken ct);
}
