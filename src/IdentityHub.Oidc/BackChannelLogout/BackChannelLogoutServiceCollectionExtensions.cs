using IdentityHub.Authentication.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenIddict.Server;

namespace IdentityHub.Oidc.BackChannelLogout;

/// <summary>
/// OpenID Connect Back-Channel Logout 1.0 (docs/oidc.md "Logout", decision 0019): the clients each hub session signed
/// in to, a logout token queued for each when the session ends, and a worker on every node that delivers them.
/// </summary>
internal static class BackChannelLogoutServiceCollectionExtensions
{
    /// <summary>
    /// What every process that can end a hub session needs (hubctl too): the queue, filled in the transaction that
    /// ends a session. A node's worker delivers what hubctl queued at its next poll.
    /// </summary>
    public static IServiceCollection AddIdentityHubBackChannelLogoutQueue(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<SessionClients>();
        services.TryAddSingleton<LogoutSignal>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<ISessionEndedHandler, LogoutQueue>());
        return services;
    }

    /// <summary>The server's part: discovery, the logout tokens and the delivery worker.</summary>
    public static IServiceCollection AddIdentityHubBackChannelLogout(this IServiceCollection services)
    {
        services.AddIdentityHubBackChannelLogoutQueue();
        services.AddOptions<OidcOptions>()
            .Validate(o => o.BackChannelLogout.Problem("Oidc:BackChannelLogout") is null, "Oidc:BackChannelLogout is not valid: see docs/oidc.md \"Logout\".")
            .ValidateOnStart();
        services.TryAddSingleton<LogoutTokens>();
        services.TryAddScoped<LogoutDeliveries>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<ISessionLogoutReport, BackChannelLogoutReport>());
        services.AddHostedService<LogoutDeliveryWorker>();

        // The token goes to the registered URI and nowhere else: no redirect is followed, no cookie kept.
        services.AddHttpClient(LogoutDeliveries.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
            .ConfigureHttpClient(client => client.Timeout = TimeSpan.FromMinutes(1));

        // Discovery (§2.1): the hub sends logout tokens, always with sid.
        services.AddOpenIddict().AddServer(server => server.AddEventHandler<OpenIddictServerEvents.HandleConfigurationRequestContext>(handler => handler.UseInlineHandler(context =>
        {
            context.Metadata["backchannel_logout_supported"] = true;
            context.Metadata["backchannel_logout_session_supported"] = true;
            return default;
        })));
        return services;
    }
}
