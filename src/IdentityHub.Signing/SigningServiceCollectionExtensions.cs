using IdentityHub.Hsm.Tokens;
using IdentityHub.Hsm;
using IdentityHub.Pki.Authorities;
using IdentityHub.Signing.Activation;
using IdentityHub.Signing.Asic;
using IdentityHub.Signing.Cms;
using IdentityHub.Signing.Csc;
using IdentityHub.Signing.Http;
using IdentityHub.Signing.Pdf;
using IdentityHub.Signing.Requests;
using IdentityHub.Signing.Revocation;
using IdentityHub.Signing.Signers;
using IdentityHub.Signing.TimeStamps;
using IdentityHub.Signing.Validation.Asic;
using IdentityHub.Signing.Validation.Cades;
using IdentityHub.Signing.Validation.Chains;
using IdentityHub.Signing.Validation.Pades;
using IdentityHub.Signing.Validation.Xades;
using IdentityHub.Signing.Validation;
using IdentityHub.Signing.Xades;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
        services.AddOptions<SigningOptions>().Bind(configuration.GetSection(SigningOptions.SectionName)).ValidateDataAnnotations()
            .Validate(o => o.TrustAnchorFiles.All(File.Exists), "Signing:TrustAnchorFiles names a file that does not exist (paths are relative to the hub's working directory).")
            .ValidateOnStart();
        services.TryAddSingleton(sp => new WrappedKeyVault(sp.GetRequiredService<HsmKeyStore>()));
        services.TryAddScoped<CitizenSigners>();
        services.TryAddSingleton<ITimeStampSource, HubTimeStampSource>();
        services.TryAddSingleton<IRevocationSource, HubRevocationSource>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new CmsSignatureBuilder(sp.GetRequiredService<ITimeStampSource>()));
        services.TryAddSingleton(sp => new CadesSigner(sp.GetRequiredService<CmsSignatureBuilder>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new PadesSigner(
            sp.GetRequiredService<CmsSignatureBuilder>(),
            sp.GetRequiredService<ITimeStampSource>(),
            sp.GetRequiredService<IRevocationSource>(),
            sp.GetRequiredService<PkiKeyring>(),
            sp.GetRequiredService<IOptions<SigningOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<TimeStampPaths>();
        services.TryAddSingleton<XadesUnsignedProperties>();
        services.TryAddSingleton(sp => new XadesSigner(sp.GetRequiredService<XadesUnsignedProperties>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<SigningOptions>>()));
        services.TryAddSingleton(sp => new AsicContainer(sp.GetRequiredService<XadesSigner>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISignatureReader, PadesReader>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISignatureReader, CadesReader>());
        services.TryAddSingleton<TrustAnchorStore>();
        services.TryAddSingleton<SignatureAssessor>();
        services.TryAddSingleton<ValidationService>();

        // Format readers of the validation service: XAdES (EN 319 132-1) and ASiC (EN 319 162-1) containers.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISignatureReader, XadesReader>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISignatureReader, AsicEXadesReader>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISignatureReader, AsicECadesReader>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISignatureReader, AsicSXadesReader>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISignatureReader, AsicSCadesReader>());
        services.TryAddScoped<SignatureActivations>();
        services.TryAddScoped<ActivationConfirmations>();
        services.TryAddScoped<SignatureGate>();
        services.TryAddScoped<CscSads>();

        // Signing requests from the portal and from agencies, their pages' and APIs' services.
        services.TryAddScoped<RequestSigners>();
        services.TryAddScoped<SigningRequests>();
        services.TryAddScoped<RequestCompletion>();
        services.TryAddScoped<ValidationUploads>();
        services.TryAddSingleton<RequestNotifications>();
        services.AddHttpClient(RequestNotifications.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(5));
        services.AddHostedService<SigningHousekeeping>();
        services.AddIdentityHubSigningRateLimits();
        return services;
    }

    public static IEndpointRouteBuilder MapIdentityHubSigning(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapIdentityHubCsc();
        endpoints.MapIdentityHubAgencySigning();
        return endpoints;
    }
}
