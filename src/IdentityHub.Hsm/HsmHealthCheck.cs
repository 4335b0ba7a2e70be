using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IdentityHub.Hsm;

/// <summary>Readiness: the token is present and logged in.</summary>
public sealed class HsmHealthCheck(HsmKeyStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            store.CheckHealth();
            return Task.FromResult(HealthCheckResult.Healthy($"token {store.TokenLabel}"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The HSM token is not usable.", ex));
        }
    }
}
