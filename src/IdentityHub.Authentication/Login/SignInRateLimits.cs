using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Authentication.Login;

/// <summary>
/// Rate limits per client IP on the steps that take a secret (configuration section Authentication:RateLimits):
/// POSTs to the sign-in, second-factor, passkey, activation and recovery pages. Account lock-out stops guessing at one account;
/// this stops one address guessing across many (NIST SP 800-63B §5.2.2, OWASP Credential Stuffing Prevention). The
/// limiter lives in each node: behind N nodes an address gets at most N times the limit.
/// </summary>
public sealed class SignInRateLimitOptions
{
    public const string SectionName = "Authentication:RateLimits";

    /// <summary>Sign-in steps (password, codes, passkeys) per address per minute.</summary>
    public int SignInPerMinute { get; set; } = 60;

    /// <summary>Activation attempts per address per minute; the same number applies to /recover and /recover/request.</summary>
    public int ActivationPerMinute { get; set; } = 10;
}

public static class SignInRateLimits
{
    private static readonly string[] SignInPaths = ["/login", "/console/sign-in", "/account/step-up"];

    public static IServiceCollection AddIdentityHubSignInRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(SignInRateLimitOptions.SectionName).Get<SignInRateLimitOptions>() ?? new SignInRateLimitOptions();
        if (options.SignInPerMinute < 1 || options.ActivationPerMinute < 1)
        {
            throw new InvalidOperationException($"{SignInRateLimitOptions.SectionName}: the limits must be at least 1 per minute.");
        }

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await context.HttpContext.Response.WriteAsync("Too many sign-in attempts from your network. Wait a minute, then try again.", ct);
            };
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (!HttpMethods.IsPost(http.Request.Method))
                {
                    return RateLimitPartition.GetNoLimiter("");
                }

                var path = http.Request.Path.Value ?? "";
                var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                if (path.StartsWith("/activate", StringComparison.OrdinalIgnoreCase))
                {
                    return RateLimitPartition.GetSlidingWindowLimiter("activate:" + address, _ => Window(options.ActivationPerMinute));
                }

                // Recovery codes and requests for a letter by post: letter codes like activation's, at the same rate.
                if (path.StartsWith("/recover", StringComparison.OrdinalIgnoreCase))
                {
                    return RateLimitPartition.GetSlidingWindowLimiter("recover:" + address, _ => Window(options.ActivationPerMinute));
                }

                return SignInPaths.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase))
                    ? RateLimitPartition.GetSlidingWindowLimiter("sign-in:" + address, _ => Window(options.SignInPerMinute))
                    : RateLimitPartition.GetNoLimiter("");
            });
        });
        return services;
    }

    private static SlidingWindowRateLimiterOptions Window(int perMinute) => new()
    {
        PermitLimit = perMinute,
        Window = TimeSpan.FromMinutes(1),
        SegmentsPerWindow = 6,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
