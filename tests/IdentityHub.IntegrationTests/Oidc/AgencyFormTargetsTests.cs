using System.Net;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Oidc;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Oidc;

/// <summary>
/// Chromium enforces CSP form-action on the redirects a form submission goes through, and a login's POST ends at the
/// agency: the pages that serve an authorization request allow that client's registered redirect origins, and no page
/// allows any other origin (AgencyPortalTests shows the login in Chromium itself). Each negative case is the valid
/// return URL with one thing changed.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class AgencyFormTargetsTests(HubFixture hub)
{
    private const string Policy = "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'none'";
    private const string Agency = "https://tax.agency.test";
    private const string Elsewhere = "https://evil.example";

    [Fact]
    public async Task The_login_page_of_an_authorization_request_lets_forms_lead_to_that_clients_registered_origins_only()
    {
        var clientId = await OidcDriver.RegisterAsync(hub, "tax.agency.test", redirectUri: Agency + "/signin-oidc");
        var authorize = OidcDriver.Request(clientId, redirectUri: Agency + "/signin-oidc").Query;

        Assert.Equal(WithTargets(Agency), await LoginPolicyAsync(authorize));

        // Not an authorization request: no return URL, a hub page, the authorize path on another origin.
        Assert.Equal(Policy, await PolicyOfAsync("/login"));
        Assert.Equal(Policy, await LoginPolicyAsync("/account"));
        Assert.Equal(Policy, await LoginPolicyAsync(Elsewhere + authorize));
        // No such client, or client_id twice (which of them would the hub serve?).
        Assert.Equal(Policy, await LoginPolicyAsync(authorize.Replace(clientId, "no-such-client", StringComparison.Ordinal)));
        Assert.Equal(Policy, await LoginPolicyAsync(authorize + "&client_id=" + clientId));
        // The origins are the registration's: a redirect_uri in the request names nothing.
        var otherRedirect = authorize.Replace(Uri.EscapeDataString(Agency + "/signin-oidc"), Uri.EscapeDataString(Elsewhere + "/signin-oidc"), StringComparison.Ordinal);
        Assert.NotEqual(authorize, otherRedirect);
        Assert.Equal(WithTargets(Agency), await LoginPolicyAsync(otherRedirect));

        // A disabled client adds nothing; enabled again, it does.
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var clients = scope.ServiceProvider.GetRequiredService<OidcClients>();
            Assert.True((await clients.DisableAsync(clientId, "tests", CancellationToken.None)).Succeeded);
            Assert.Equal(Policy, await LoginPolicyAsync(authorize));
            Assert.True((await clients.EnableAsync(clientId, "tests", CancellationToken.None)).Succeeded);
            Assert.Equal(WithTargets(Agency), await LoginPolicyAsync(authorize));
        }
    }

    [Fact]
    public async Task Every_registered_redirect_uri_gives_its_origin_once_without_path()
    {
        var clientId = "agency-" + Guid.NewGuid().ToString("N")[..8];
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<OidcClients>().AddAsync(new OidcClientSpec
            {
                GovernmentService = true,
                ClientId = clientId,
                DisplayName = "Agency " + clientId,
                RedirectUris = [Agency + "/signin-oidc", Agency + "/other/callback", "https://portal.agency.test:8443/app/signin-oidc", "http://127.0.0.1:9/callback"],
                PostLogoutRedirectUris = ["https://logout.agency.test/signed-out"],
                Scopes = [OidcScopes.Profile],
                Sector = "agency.test",
            }, "tests", CancellationToken.None);
            Assert.True(result.Succeeded, result.Problem);
        }

        var authorize = OidcDriver.Request(clientId, redirectUri: Agency + "/signin-oidc").Query;

        // Redirect URIs only (in any order): the post-logout URI's origin is no login form's target.
        Assert.Equal(Sorted(WithTargets(Agency, "https://portal.agency.test:8443", "http://127.0.0.1:9")), Sorted(await LoginPolicyAsync(authorize)));
    }

    [Fact]
    public async Task The_second_factor_pages_of_a_login_for_an_agency_allow_its_origin_and_those_of_a_login_without_one_do_not()
    {
        var clientId = await OidcDriver.RegisterAsync(hub, "tax.agency.test", redirectUri: Agency + "/signin-oidc");
        var authorize = OidcDriver.Request(clientId, redirectUri: Agency + "/signin-oidc").Query;
        var citizen = await hub.ActivateWithTotpAsync();
        // Recovery codes, so that the login offers one and /login/recovery-code is a page, not a redirect.
        Assert.Equal(HttpStatusCode.OK, (await citizen.Client.SubmitAsync("/account/recovery-codes", new Dictionary<string, string>())).Status);

        // The waiting authorization request is in the login state after the password, not in the URL.
        using var forAgency = await PasswordDoneAsync(citizen, authorize);
        Assert.Equal(WithTargets(Agency), await PolicyOfAsync("/login/verify", forAgency));
        Assert.Equal(WithTargets(Agency), await PolicyOfAsync("/login/recovery-code", forAgency));

        using var forHub = await PasswordDoneAsync(citizen, null);
        Assert.Equal(Policy, await PolicyOfAsync("/login/verify", forHub));
        Assert.Equal(Policy, await PolicyOfAsync("/login/recovery-code", forHub));
    }

    /// <summary>A browser that has given the password (for the authorization request <paramref name="authorize"/>, when given).</summary>
    private async Task<HttpClient> PasswordDoneAsync(ActivatedCitizen citizen, string? authorize)
    {
        using var browser = new HubWebClient(hub.BaseAddress);
        var loginPath = "/login";
        if (authorize is not null)
        {
            var login = await browser.GetAsync(authorize);
            Assert.Equal(HttpStatusCode.Redirect, login.Status);
            loginPath = login.Location!;
            Assert.StartsWith("/login?", loginPath, StringComparison.Ordinal);
        }

        var password = await browser.SubmitAsync(loginPath, new Dictionary<string, string> { ["NationalId"] = citizen.Letter.NationalId, ["Password"] = citizen.Password });
        CitizenWeb.Expect(password, "/login/verify", "password");
        return new HttpClient(new HttpClientHandler { CookieContainer = browser.Cookies, AllowAutoRedirect = false }) { BaseAddress = hub.BaseAddress };
    }

    /// <summary>The policy with form-action's sources in ordinal order: the order of the registered URIs is the store's.</summary>
    private static string Sorted(string policy) => string.Join("; ", policy.Split("; ").Select(directive =>
        directive.StartsWith("form-action ", StringComparison.Ordinal)
            ? string.Join(' ', directive.Split(' ').Take(1).Concat(directive.Split(' ').Skip(1).Order(StringComparer.Ordinal)))
            : directive));

    private static string WithTargets(params string[] origins) =>
        Policy.Replace("form-action 'self'", "form-action 'self' " + string.Join(' ', origins), StringComparison.Ordinal);

    private Task<string> LoginPolicyAsync(string returnUrl) =>
        PolicyOfAsync("/login?level=substantial&returnUrl=" + Uri.EscapeDataString(returnUrl));

    private async Task<string> PolicyOfAsync(string path, HttpClient? client = null)
    {
        using var response = await (client ?? hub.Http).GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
    }
}
