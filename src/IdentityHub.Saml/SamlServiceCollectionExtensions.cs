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
        services.AddOptions<SamlOptions>().Bind(configuration.GetSection(SamlOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
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
        return services;
    }

    /// <summary>The SP registry alone (hubctl saml sp …).</summary>
    public static IServiceCollection AddIdentityHubSamlProviders(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<Providers.ServiceProviders>();
        return services;
    }

    public static IEndpointRouteBuilder MapIdentityHubSaml(this IEndpointRouteBuilder endpoints) => Http.SamlEndpoints.Map(endpoints);
}
