using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityHub.Pki;

/// <summary>
/// Per-address rate limits on OCSP and the TSA (configuration section Pki:RateLimits). Both answer anyone without
/// credentials and sign every answer in the HSM, so one address could otherwise spend the whole HSM's signing rate.
/// Over the limit: HTTP 429 with Retry-After (RFC 6585 §4), not an OCSP or TSP error, so clients back off.
/// </summary>
public static class PkiRateLimits
{
    /// <summary>Rate-limiter policy of the OCSP endpoints (GET and POST share one budget).</summary>
    public const string Ocsp = "pki-ocsp";

    /// <summary>Rate-limiter policy of the TSA endpoint.</summary>
    public const string Tsa = "pki-tsa";

    internal static IServiceCollection AddIdentityHubPkiRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy<string, OcspPolicy>(Ocsp);
            limiter.AddPolicy<string, TsaPolicy>(Tsa);
        });
        return services;
    }

    private sealed class OcspPolicy(IOptions<PkiOptions> options)
        : PerAddressPolicy("ocsp", options.Value.RateLimits.OcspPerMinute, "Too many OCSP requests from your address.");

    private sealed class TsaPolicy(IOptions<PkiOptions> options)
        : PerAddressPolicy("tsa", options.Value.RateLimits.TsaPerMinute, "Too many time-stamp requests from your address.");

    private abstract class PerAddressPolicy(string prefix, int perMinute, string message) : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => async (context, ct) =>
        {
            // A sliding window frees permits as its oldest segment ends; without a hint from the lease, a minute is always enough.
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
                : 60;
            var response = context.HttpContext.Response;
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync($"{message} Wait {retryAfter} seconds, then try again.", ct);
        };

        public RateLimitPartition<string> GetPartition(HttpContext httpContext)
        {
            var address = httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            return RateLimitPartition.GetSlidingWindowLimiter(prefix + ":" + address, _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                SegmentsPerWindow = 6,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        }
    }
}
