using System.Globalization;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityHub.Oidc;

/// <summary>
/// Per-address limits on the OAuth back-channel endpoints (configuration Oidc:RateLimits): token, PAR, introspection and
/// revocation. Each of them verifies a client secret (PBKDF2) or an assertion and may sign in the HSM, so one address
/// could otherwise take a node's CPU or the HSM's signing rate. Agencies' back-ends come from few addresses, so the
/// default is generous. The limiter lives in each node. Over the limit: 429 with Retry-After and an OAuth error body
/// (RFC 6749 §5.2 shape, error "temporarily_unavailable"), so an RP library reports it as an OAuth error.
/// </summary>
public sealed class OidcRateLimitOptions
{
    /// <summary>Requests per address per minute to the token, PAR, introspection and revocation endpoints together.</summary>
    public int BackChannelPerMinute { get; set; } = 1200;
}

public static class OidcRateLimits
{
    private static readonly string[] Paths =
    [
        OidcServiceCollectionExtensions.TokenPath,
        OidcServiceCollectionExtensions.PushedAuthorizationPath,
        OidcServiceCollectionExtensions.IntrospectionPath,
        OidcServiceCollectionExtensions.RevocationPath,
    ];

    /// <summary>Goes before UseAuthentication: OpenIddict answers these endpoints from its authentication handler.</summary>
    public static IApplicationBuilder UseIdentityHubOidcRateLimits(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var perMinute = app.ApplicationServices.GetRequiredService<IOptions<OidcOptions>>().Value.RateLimits.BackChannelPerMinute;
        if (perMinute < 1)
        {
            throw new InvalidOperationException("Oidc:RateLimits:BackChannelPerMinute must be at least 1.");
        }

        var limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetSlidingWindowLimiter(address, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            if (!HttpMethods.IsPost(context.Request.Method) || !Paths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase)))
            {
                await next(context);
                return;
            }

            using var lease = limiter.AttemptAcquire(context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            if (lease.IsAcquired)
            {
                await next(context);
                return;
            }

            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 10;
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers.CacheControl = "no-store";
            context.Response.ContentType = "application/json;charset=UTF-8";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["error"] = "temporarily_unavailable",
                ["error_description"] = $"Too many requests from your address. Wait {retryAfter} seconds, then try again.",
            }), context.RequestAborted);
        });
    }
}
