using System.Net;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace IdentityHub.Server.Hosting;

/// <summary>
/// Which proxy headers the hub believes, and from whom (configuration section ForwardedHeaders). Nothing is believed
/// unless configured: then X-Forwarded-For and X-Forwarded-Proto only from the listed proxies and networks. The hub
/// never takes its host name from a header (X-Forwarded-Host is refused): the Host must be one AllowedHosts names.
/// </summary>
public sealed class HubForwardedHeadersOptions
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Any of XForwardedFor, XForwardedProto (none by default).</summary>
    public string[] Headers { get; set; } = [];

    /// <summary>IP addresses of the reverse proxies whose headers count.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. 10.0.0.0/24) whose proxies' headers count.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in X-Forwarded-For to walk back (one: the proxy in front of the hub).</summary>
    public int ForwardLimit { get; set; } = 1;
}

internal static class ProxyAndHost
{
    /// <summary>The prefix browsers keep for cookies set Secure, Path=/ and without Domain by the host itself (RFC 6265bis §4.1.3.2).</summary>
    public const string HostPrefix = "__Host-";

    /// <summary>Every cookie the hub sets begins so (session, console, antiforgery, login and activation state).</summary>
    public const string HubCookiePrefix = "hub.";

    public static IServiceCollection AddIdentityHubProxyAndHost(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("ASPNETCORE_FORWARDEDHEADERS_ENABLED"), "true", StringComparison.OrdinalIgnoreCase))
        {
            // ASP.NET Core would then believe X-Forwarded-For and -Proto from any sender.
            throw new StartupException("ASPNETCORE_FORWARDEDHEADERS_ENABLED: unset it and name the proxies in ForwardedHeaders:KnownProxies or ForwardedHeaders:KnownNetworks.");
        }

        var section = configuration.GetSection(HubForwardedHeadersOptions.SectionName).Get<HubForwardedHeadersOptions>() ?? new HubForwardedHeadersOptions();
        var forwarded = Forwarded(section);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = forwarded.Headers;
            o.ForwardLimit = forwarded.Limit;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in forwarded.Proxies)
            {
                o.KnownProxies.Add(proxy);
            }

            foreach (var network in forwarded.Networks)
            {
                o.KnownIPNetworks.Add(network);
            }

            o.AllowedHosts.Clear();
        });

        var allowed = (configuration["AllowedHosts"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (allowed.Length == 0 || (allowed.Contains("*") && !environment.IsDevelopment()))
        {
            throw new StartupException("AllowedHosts: name the host names the hub is reached by, separated by ';' (\"*\" accepts any Host header, and redirects would name it).");
        }

        // ASP.NET Core's host filter (before everything else) answers 400 to a Host AllowedHosts does not name; its
        // options are read from AllowedHosts here as well, so an empty Host is refused too.
        services.PostConfigure<HostFilteringOptions>(o =>
        {
            o.AllowedHosts = allowed;
            o.AllowEmptyHosts = false;
            o.IncludeFailureMessage = false;
        });
        return services;
    }

    /// <summary>Forwarded headers first (scheme and client address from a known proxy), then the cookie names.</summary>
    public static IApplicationBuilder UseIdentityHubProxyAndHost(this IApplicationBuilder app)
    {
        app.UseForwardedHeaders();
        app.Use(HostCookiesAsync);
        return app;
    }

    /// <summary>
    /// Over HTTPS every hub cookie is a __Host- cookie (Secure, Path=/, no Domain), so neither a sibling host nor a
    /// plain-HTTP page can plant or overwrite one. The code names cookies without the prefix; here, over HTTPS, an
    /// arriving __Host-hub.* cookie is read under its plain name and a plain hub.* cookie is ignored, and every
    /// hub.* Set-Cookie leaves as __Host-hub.* with Secure and Path=/.
    /// </summary>
    private static Task HostCookiesAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.IsHttps)
        {
            return next(context);
        }

        var arriving = context.Request.Headers.Cookie;
        if (!StringValues.IsNullOrEmpty(arriving) && CookieHeaderValue.TryParseList(arriving, out var cookies))
        {
            var kept = new List<string>(cookies.Count);
            foreach (var cookie in cookies)
            {
                var name = cookie.Name.Value ?? "";
                if (name.StartsWith(HostPrefix + HubCookiePrefix, StringComparison.Ordinal))
                {
                    kept.Add(new CookieHeaderValue(name[HostPrefix.Length..], cookie.Value).ToString());
                }
                else if (!name.StartsWith(HubCookiePrefix, StringComparison.Ordinal))
                {
                    kept.Add(cookie.ToString());
                }
            }

            context.Request.Headers.Cookie = string.Join("; ", kept);
        }
        else if (!StringValues.IsNullOrEmpty(arriving))
        {
            // Unreadable here: nothing of it reaches the hub, rather than plain-named hub cookies slipping through.
            context.Request.Headers.Remove(HeaderNames.Cookie);
        }

        context.Response.OnStarting(() =>
        {
            var setCookies = context.Response.Headers.SetCookie;
            if (!StringValues.IsNullOrEmpty(setCookies) && SetCookieHeaderValue.TryParseList(setCookies, out var parsed))
            {
                foreach (var cookie in parsed.Where(c => (c.Name.Value ?? "").StartsWith(HubCookiePrefix, StringComparison.Ordinal)))
                {
                    cookie.Name = HostPrefix + cookie.Name.Value;
                    cookie.Secure = true;
                    cookie.Path = "/";
                    cookie.Domain = null;
                }

                context.Response.Headers.SetCookie = new StringValues([.. parsed.Select(c => c.ToString())]);
            }

            return Task.CompletedTask;
        });
        return next(context);
    }

    private static (ForwardedHeaders Headers, int Limit, List<IPAddress> Proxies, List<System.Net.IPNetwork> Networks) Forwarded(HubForwardedHeadersOptions options)
    {
        const string Key = HubForwardedHeadersOptions.SectionName;
        var headers = ForwardedHeaders.None;
        foreach (var name in options.Headers.SelectMany(h => h.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            headers |= name.ToUpperInvariant() switch
            {
                "XFORWARDEDFOR" or "X-FORWARDED-FOR" => ForwardedHeaders.XForwardedFor,
                "XFORWARDEDPROTO" or "X-FORWARDED-PROTO" => ForwardedHeaders.XForwardedProto,
                "XFORWARDEDHOST" or "X-FORWARDED-HOST" => throw new StartupException($"{Key}:Headers: X-Forwarded-Host is not accepted; the hub's host names are AllowedHosts."),
                _ => throw new StartupException($"{Key}:Headers: '{name}' is not one of XForwardedFor, XForwardedProto."),
            };
        }

        var proxies = new List<IPAddress>();
        foreach (var text in options.KnownProxies)
        {
            proxies.Add(IPAddress.TryParse(text, out var address) ? address : throw new StartupException($"{Key}:KnownProxies: '{text}' is not an IP address."));
        }

        var networks = new List<System.Net.IPNetwork>();
        foreach (var text in options.KnownNetworks)
        {
            networks.Add(System.Net.IPNetwork.TryParse(text, out var network) ? network : throw new StartupException($"{Key}:KnownNetworks: '{text}' is not a network (CIDR, e.g. 10.0.0.0/24)."));
        }

        if (headers != ForwardedHeaders.None && proxies.Count == 0 && networks.Count == 0)
        {
            throw new StartupException($"{Key}: Headers are believed only from KnownProxies or KnownNetworks; name at least one.");
        }

        if (options.ForwardLimit < 1)
        {
            throw new StartupException($"{Key}:ForwardLimit must be at least 1.");
        }

        return (headers, options.ForwardLimit, proxies, networks);
    }
}
