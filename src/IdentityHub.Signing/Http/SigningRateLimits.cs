using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityHub.Signing.Http;

/// <summary>
/// The public verify page is open to anyone and each upload costs parsing, hashing and signature checks, so it is
/// limited per address (Signing:VerifyPerMinute, default 30): a person checks a few files, a script gets 429.
/// </summary>
public static class SigningRateLimits
{
    public const string VerifyPolicy = "signing-verify";

    public static IServiceCollection AddIdentityHubSigningRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter => limiter.AddPolicy<string, VerifyLimit>(VerifyPolicy));
        return services;
    }

    private sealed class VerifyLimit(IOptions<SigningOptions> options) : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => async (context, ct) =>
        {
            context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.HttpContext.Response.Headers.RetryAfter = "60";
            context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
            await context.HttpContext.Response.WriteAsync("Too many files checked from your network. Wait a minute, then try again.", ct);
        };

        public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
            !HttpMethods.IsPost(httpContext.Request.Method)
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetSlidingWindowLimiter(httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = options.Value.VerifyPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    SegmentsPerWindow = 6,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
    }
}
