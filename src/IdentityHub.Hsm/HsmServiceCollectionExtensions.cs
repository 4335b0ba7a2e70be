using IdentityHub.Core.Keys;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityHub.Hsm;

public static class HsmServiceCollectionExtensions
{
    /// <summary>The meter name to export ("IdentityHub.Hsm").</summary>
    public const string MeterName = Diagnostics.HsmMetrics.MeterName;

    /// <summary>Binds <see cref="HsmOptions"/> from "Hsm" and registers the token as the hub's <see cref="IKeyStore"/> (opened on first use).</summary>
    public static IServiceCollection AddIdentityHubHsm(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HsmOptions>()
            .Bind(configuration.GetSection(HsmOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HsmOptions>, HsmOptionsValidator>());
        services.TryAddSingleton(sp => HsmKeyStore.Open(sp.GetRequiredService<IOptions<HsmOptions>>().Value, sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<IKeyStore>(sp => sp.GetRequiredService<HsmKeyStore>());
        services.TryAddSingleton(sp => new EvidenceCipher(sp.GetRequiredService<HsmKeyStore>()));
        services.TryAddSingleton(sp => new DataProtection.DataProtectionKeyCipher(sp.GetRequiredService<HsmKeyStore>()));
        return services;
    }

    /// <summary>Reports each problem with its configuration key (the generic Validate above only gates).</summary>
    private sealed class HsmOptionsValidator : IValidateOptions<HsmOptions>
    {
        public ValidateOptionsResult Validate(string? name, HsmOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
