namespace IdentityHub.Authentication.Sessions;

/// <summary>
/// Told by <see cref="HubSessions"/> which sessions it just ended, inside the transaction that ends them, so that what
/// must follow an end (a back-channel logout to every agency of the session) is recorded exactly when the end commits,
/// whichever path ended it: sign-out, the portal, a password change, a disabled account, an idle or expired session.
/// A handler must be idempotent: two nodes ending one session at once may both report it.
/// </summary>
public interface ISessionEndedHandler
{
    Task OnEndedAsync(IReadOnlyList<Guid> sessionIds, string reason, CancellationToken ct);
}
