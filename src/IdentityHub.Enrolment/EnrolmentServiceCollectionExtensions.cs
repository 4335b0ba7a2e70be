using IdentityHub.Enrolment.Issuance;
using IdentityHub.Enrolment.Lifecycle;
using IdentityHub.Enrolment.Proofing;
using IdentityHub.Enrolment.Registry;
using IdentityHub.Hsm;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IdentityHub.Enrolment;

public static class EnrolmentServiceCollectionExtensions
{
    /// <summary>Registers the registry, proofing, issuance and lifecycle services. Needs AddIdentityHubData, AddIdentityHubHsm and AddIdentityHubPki.</summary>
    public static IServiceCollection AddIdentityHubEnrolment(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EnrolmentOptions>()
            .Bind(configuration.GetSection(EnrolmentOptions.SectionName))
            .Validate(o => o.ActivationCodeLifetime > TimeSpan.Zero && o.ActivationCodeLifetime <= TimeSpan.FromDays(180),
                "Enrolment:ActivationCodeLifetime must be positive and at most 180 days.")
            .Validate(o => o.RecoveryCodeLifetime > TimeSpan.Zero && o.RecoveryCodeLifetime <= TimeSpan.FromDays(180) && o.PostedRecoveryLettersPer30Days >= 1,
                "Enrolment:RecoveryCodeLifetime must be positive and at most 180 days, and PostedRecoveryLettersPer30Days at least 1.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new WrappedKeyVault(sp.GetRequiredService<HsmKeyStore>()));
        services.TryAddSingleton<IIssuanceObserver, NoIssuanceObserver>();
        services.TryAddScoped<CitizenCredentials>();
        services.TryAddScoped<PersonRegistry>();
        services.TryAddScoped<EnrolmentService>();
        services.TryAddScoped<ParticularsChange>();
        services.TryAddScoped<EidIssuer>();
        services.TryAddScoped<EidLifecycle>();
        services.TryAddScoped<RegistryConsistency>();
        services.TryAddScoped<ServicePoints>();
        services.TryAddSingleton<ActivationLetterRenderer>();
        services.TryAddSingleton<Letters.RecoveryLetterRenderer>();
        services.TryAddScoped<Letters.RecoveryLetters>();
        services.TryAddScoped<Http.ApiCredentials>();
        services.TryAddScoped<Http.IdempotencyStore>();
        // The API speaks states as words ("suspended"), not enum numbers.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(
            new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, Http.ApiCredentialHandler>(
            Http.ApiCredentialHandler.SchemeName, displayName: null, configureOptions: null);
        return services;
    }
}
