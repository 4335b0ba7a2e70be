using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IdentityHub.Pki.Authorities;

/// <summary>Readiness: the CAs exist in the database and every one of their keys is present in the HSM.</summary>
public sealed class PkiHealthCheck(PkiKeyring keyring) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var snapshot = await keyring.GetAsync(cancellationToken);
            if (snapshot.Authorities.Count == 0)
            {
                return HealthCheckResult.Unhealthy("No CA exists yet: run `hubctl pki init`.");
            }

            return snapshot.Authorities.Values.All(a => a.OcspResponder is not null) && snapshot.Credentials.ContainsKey("tsa")
                ? HealthCheckResult.Healthy($"{snapshot.Authorities.Count} CAs")
                : HealthCheckResult.Degraded("A responder or the TSA credential is missing: run `hubctl pki init`.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The PKI cannot load its keys.", ex);
        }
    }
}
