using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IdentityHub.Saml;

/// <summary>
/// The SAML 2.0 identity provider (OASIS SAML 2.0 Web Browser SSO and Single Logout profiles) for relying agencies'
/// service providers, on the same hub session, login, step-up and consent as the OpenID provider.
/// </summary>
public static class SamlServiceCollectionExtensions
{
    public static IServiceCollection AddIdentityHubSaml(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SamlOptions>().Bind(configuration.GetSection(SamlOptions.SectionName)).ValidateDataAnnotations()
            .Validate(o => o.BackChannelLogout.Problem("Saml:BackChannelLogout") is null, "Saml:BackChannelLogout is not valid: see docs/saml.md \"Logout\".")
            .ValidateOnStart();
        services.TryAddScoped<Signing.SamlSigningKeys>();
        services.TryAddSingleton<Signing.SamlKeyRing>();
        services.TryAddScoped<Providers.ServiceProviders>();
        services.TryAddScoped<Sso.SamlAnswers>();
        services.TryAddScoped<Sso.SamlSignIn>();
        services.TryAddSingleton<Consent.SamlConsentTickets>();
        services.TryAddScoped<Consent.SamlConsents>();
        services.TryAddScoped<Slo.SingleLogout>();
        services.TryAddScoped<Slo.LogoutChain>();
        services.TryAddScoped<Slo.LogoutReceiver>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<Authentication.Sessions.IFrontChannelLogout, Slo.SingleLogout>(sp => sp.GetRequiredService<Slo.SingleLogout>()));
        services.TryAddScoped<Sso.UnsolicitedSignIn>();
        services.AddHostedService<Sso.SamlHousekeeping>();

        // SOAP logout of sessions that end without the browser (saml-bindings-2.0-os §3.2): the request goes to the
        // registered endpoint and nowhere else, no redirect is followed, no cookie kept.
        services.AddIdentityHubSamlProviders();
        services.TryAddScoped<Slo.SoapLogoutDeliveries>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<Authentication.Sessions.ISessionLogoutReport, Slo.SoapLogoutReport>());
        services.AddHostedService<Slo.SoapLogoutWorker>();
        services.AddHttpClient(Slo.SoapLogoutDeliveries.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
            .ConfigureHttpClient(client => client.Timeout = TimeSpan.FromMinutes(1));
        return services;
    }

    /// <summary>
    /// The SP registry, and what every process that can end a hub session needs (hubctl too): the SOAP logout queue,
    /// filled in the transaction that ends a session. A node's worker sends what hubctl queued at its next poll.
    /// </summary>
    public static IServiceCollection AddIdentityHubSamlProviders(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<Providers.ServiceProviders>();
        services.TryAddScoped<Slo.BrowserLogoutParties>();
        services.TryAddSingleton<Slo.SoapLogoutSignal>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<Authentication.Sessions.ISessionEndedHandler, Slo.SoapLogoutQueue>());
        return services;
    }

    public static IEndpointRouteBuilder MapIdentityHubSaml(this IEndpointRouteBuilder endpoints) => Http.SamlEndpoints.Map(endpoints);
}
