using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace IdentityHub.Oidc.SigningKeys;

/// <summary>Wiring of the rotating signing keys (decision 0018).</summary>
public static class SigningKeyServiceCollectionExtensions
{
    /// <summary>The key store alone (PostgreSQL and the HSM): what `hubctl oidc` needs without a server.</summary>
    public static IServiceCollection AddIdentityHubOidcSigningKeyStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // AddIdentityHubOidc binds the section first; binding twice would append every list setting twice.
        if (!services.Any(d => d.ServiceType == typeof(IConfigureOptions<OidcOptions>)))
        {
            services.AddOptions<OidcOptions>().Bind(configuration.GetSection(OidcOptions.SectionName));
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OidcOptions>, SigningKeyOptionsValidation>());
        services.TryAddScoped<OidcSigningKeys>();
        return services;
    }

    /// <summary>The per-node key set and the OpenIddict handlers that sign, verify and publish with it.</summary>
    internal static IServiceCollection AddIdentityHubOidcSigningKeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddIdentityHubOidcSigningKeyStore(configuration);
        services.AddOptions<OidcOptions>().ValidateOnStart();
        services.TryAddSingleton<SigningKeySet>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<OpenIddictServerOptions>, UnusedSigningCredential>());
        return services;
    }

    /// <summary>Replaces OpenIddict's static signing keys in token generation, token validation, the JWKS and discovery.</summary>
    internal static OpenIddictServerBuilder UseRotatingSigningKeys(this OpenIddictServerBuilder server)
    {
        server.RemoveEventHandler(OpenIddictServerHandlers.Discovery.AttachSigningKeys.Descriptor);
        server.RemoveEventHandler(OpenIddictServerHandlers.Discovery.AttachSigningAlgorithms.Descriptor);
        server.AddEventHandler(PublishSigningKeySet.Descriptor);
        server.AddEventHandler(AdvertiseSigningAlgorithms.Descriptor);
        server.AddEventHandler(AttachRotatingSigningCredentials.Descriptor);
        server.AddEventHandler(UseRotatingValidationKeys.Descriptor);
        return server;
    }

    private sealed class SigningKeyOptionsValidation : IValidateOptions<OidcOptions>
    {
        public ValidateOptionsResult Validate(string? name, OidcOptions options) =>
            options.SigningKeys.Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
