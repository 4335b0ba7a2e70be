using IdentityHub.Pki.Authorities;
using IdentityHub.Pki.Diagnostics;
using IdentityHub.Pki.Hierarchy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IdentityHub.Pki;

public static class PkiServiceCollectionExtensions
{
    /// <summary>The meter name to export ("IdentityHub.Pki").</summary>
    public const string MeterName = PkiMetrics.MeterName;

    /// <summary>Registers the CA hierarchy, issuance, revocation, CRL, OCSP and TSA services. Needs AddIdentityHubData and AddIdentityHubHsm.</summary>
    public static IServiceCollection AddIdentityHubPki(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PkiOptions>()
            .Bind(configuration.GetSection(PkiOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps),
                "Pki:PublicBaseUrl must be an absolute http(s) URL.")
            .Validate(o => o.RateLimits is { OcspPerMinute: >= 1, TsaPerMinute: >= 1 },
                "Pki:RateLimits: OcspPerMinute and TsaPerMinute must be at least 1 per minute.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HierarchyProvider>();
        services.TryAddSingleton<PkiKeyring>();
        services.TryAddScoped<CrlService>();
        services.TryAddScoped<RevocationService>();
        services.TryAddScoped<CertificateIssuer>();
        services.TryAddSingleton<OcspResponder>();
        services.TryAddSingleton<TimeStampAuthority>();
        services.TryAddScoped<PkiInitializer>();
        services.TryAddScoped<PkiStatusReader>();
        services.AddIdentityHubPkiRateLimits();
        services.AddHealthChecks().AddCheck<PkiHealthCheck>("pki", tags: ["ready"]);
        return services;
    }
}
