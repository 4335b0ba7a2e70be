using IdentityHub.Hsm;
using IdentityHub.Hsm.Tokens;
using IdentityHub.Signing.Activation;
using IdentityHub.Signing.Csc;
using IdentityHub.Signing.Revocation;
using IdentityHub.Signing.Signers;
using IdentityHub.Signing.TimeStamps;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IdentityHub.Signing;

/// <summary>
/// The signing service (PAdES, XAdES, CAdES, ASiC-E with the citizen's qualified key under sole control) and the
/// validation service (ETSI EN 319 102-1), with their pages' services, the agency REST API and the CSC API.
/// </summary>
public static class SigningServiceCollectionExtensions
{
    public static IServiceCollection AddIdentityHubSigning(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SigningOptions>().Bind(configuration.GetSection(SigningOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(sp => new WrappedKeyVault(sp.GetRequiredService<HsmKeyStore>()));
        services.TryAddScoped<CitizenSigners>();
        services.TryAddSingleton<ITimeStampSource, HubTimeStampSource>();
        services.TryAddSingleton<IRevocationSource, HubRevocationSource>();
        services.TryAddScoped<SignatureActivations>();
        services.TryAddScoped<ActivationConfirmations>();
        services.TryAddScoped<SignatureGate>();
        services.TryAddScoped<CscSads>();
        return services;
    }

    public static IEndpointRouteBuilder MapIdentityHubSigning(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapIdentityHubCsc();
        return endpoints;
    }
}
