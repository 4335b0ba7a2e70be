using System.Net;
using System.Text.RegularExpressions;

namespace IdentityHub.IntegrationTests.Hosting;

/// <summary>A hub behind a reverse proxy on the loopback address that terminates TLS and says so in X-Forwarded-Proto.</summary>
public sealed class ProxiedHubFixture : HubFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ForwardedHeaders:Headers:0"] = "XForwardedFor",
        ["ForwardedHeaders:Headers:1"] = "XForwardedProto",
        ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
        ["ForwardedHeaders:KnownProxies:1"] = "::1",
    };
}

/// <summary>
/// Over HTTPS every hub cookie is a __Host- cookie; forwarded headers count only from configured proxies; a Host that
/// AllowedHosts does not name gets 400, and no redirect repeats a Host header.
/// </summary>
public sealed partial class HostAndProxyTests(ProxiedHubFixture hub) : IClassFixture<ProxiedHubFixture>
{
    [Fact]
    public async Task Over_https_the_console_cookies_are_host_cookies_and_a_plain_named_cookie_is_ignored()
    {
        var userName = "tls-" + Guid.NewGuid().ToString("N")[..6];
        var password = await hub.CreateStaffAsync(userName, "officer");
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = hub.BaseAddress };

        using var page = await SendAsync(client, HttpMethod.Get, "/console/sign-in", https: true);
        var antiforgery = HostCookie(page, "hub.antiforgery");
        using var signIn = await SendAsync(client, HttpMethod.Post, "/console/sign-in", https: true, cookie: antiforgery, form: new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = password,
            ["__RequestVerificationToken"] = Token().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value,
        });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var session = HostCookie(signIn, "hub.console");

        using (var signedIn = await SendAsync(client, HttpMethod.Get, "/console/change-password", https: true, cookie: session))
        {
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        }

        // The same value under the plain name — what a sibling host or a plain-HTTP page could plant — counts for nothing.
        using (var planted = await SendAsync(client, HttpMethod.Get, "/console/change-password", https: true, cookie: session[ProxyPrefix.Length..]))
        {
            Assert.Equal(HttpStatusCode.Redirect, planted.StatusCode);
            Assert.StartsWith("/console/sign-in", planted.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        // Over plain HTTP (no proxy saying otherwise) the names stay plain: browsers refuse __Host- cookies without TLS.
        using var plain = await SendAsync(client, HttpMethod.Get, "/console/sign-in", https: false);
        Assert.Contains(plain.Headers.GetValues("Set-Cookie"), c => c.StartsWith("hub.antiforgery=", StringComparison.Ordinal));
        Assert.DoesNotContain(plain.Headers.GetValues("Set-Cookie"), c => c.StartsWith(ProxyPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_host_the_hub_does_not_serve_gets_400_and_no_redirect_names_a_host_header()
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = hub.BaseAddress };

        foreach (var path in new[] { "/console/staff", "/account", "/login" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            request.Headers.Host = "evil.example";
            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
        }

        // A served host, and a proxy header naming another: the hub does not take its host from X-Forwarded-Host.
        using var forwarded = new HttpRequestMessage(HttpMethod.Get, new Uri("/console/staff", UriKind.Relative));
        forwarded.Headers.Add("X-Forwarded-Host", "evil.example");
        forwarded.Headers.Add("X-Forwarded-Proto", "https");
        using var redirect = await client.SendAsync(forwarded);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.StartsWith("/console/sign-in", redirect.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", redirect.Headers.Location.OriginalString, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("//", redirect.Headers.Location.OriginalString, StringComparison.Ordinal);
    }

    private const string ProxyPrefix = "__Host-";

    /// <summary>The cookie <paramref name="name"/> the response sets, as "__Host-name=value"; asserts what the prefix requires.</summary>
    private static string HostCookie(HttpResponseMessage response, string name)
    {
        var headers = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.DoesNotContain(headers, h => h.StartsWith("hub.", StringComparison.Ordinal));
        var header = Assert.Single(headers, h => h.StartsWith(ProxyPrefix + name + "=", StringComparison.Ordinal));
        var attributes = header.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("secure", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain", StringComparison.Ordinal));
        return header.Split(';')[0];
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, bool https, string? cookie = null, Dictionary<string, string>? form = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (https)
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        return await client.SendAsync(request);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
