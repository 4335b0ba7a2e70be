using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.RegularExpressions;
using IdentityHub.Authentication.Diagnostics;
using IdentityHub.Data;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace IdentityHub.IntegrationTests.Authentication;

/// <summary>Password then TOTP over HTTP; replayed and far-off codes; one answer for unknown ids and wrong passwords.</summary>
[Collection(HubCollection.Name)]
public sealed class LoginTests(HubFixture hub)
{
    [Fact]
    public async Task Password_then_TOTP_reaches_substantial_with_pwd_otp_and_mfa()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var fresh = new HubWebClient(hub.BaseAddress);
        var login = new ActivatedCitizen(fresh, citizen.Letter, citizen.Password, citizen.TotpSecret);

        var done = await login.LoginAsync();

        CitizenWeb.Expect(done, "/account", "TOTP");
        var account = await fresh.GetAsync("/account");
        Assert.Equal(HttpStatusCode.OK, account.Status);
        Assert.Contains("id=\"session-level\">substantial<", account.Body, StringComparison.Ordinal);
        var succeeded = await hub.LastAsync(citizen.Letter.NationalId, "auth.login.succeeded");
        Assert.Contains("\"amr\":\"pwd otp mfa\"", succeeded, StringComparison.Ordinal);
        Assert.Contains("\"level\":\"http://eidas.europa.eu/LoA/substantial\"", succeeded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replayed_TOTP_code_is_refused_with_a_clear_message_and_an_audit_entry()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var code = citizen.NextCode();
        using (var first = new HubWebClient(hub.BaseAddress))
        {
            CitizenWeb.Expect(await first.PasswordAsync(citizen.Letter.NationalId, citizen.Password), "/login/verify", "password");
            CitizenWeb.Expect(await first.TotpAsync(code), "/account", "first use");
        }

        using var second = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await second.PasswordAsync(citizen.Letter.NationalId, citizen.Password), "/login/verify", "password");
        var replay = await second.TotpAsync(code);

        Assert.Equal(HttpStatusCode.OK, replay.Status);
        Assert.Contains("This code was used already", replay.Body, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"totp-replayed\"", await hub.LastAsync(citizen.Letter.NationalId, "auth.login.failed"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/account")).Status);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-2)]
    public async Task A_TOTP_code_two_steps_away_is_refused(int steps)
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var client = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await client.PasswordAsync(citizen.Letter.NationalId, citizen.Password), "/login/verify", "password");

        var far = await client.TotpAsync(citizen.CodeAt(steps));

        Assert.Equal(HttpStatusCode.OK, far.Status);
        Assert.Contains("The code is wrong", far.Body, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"totp-wrong\"", await hub.LastAsync(citizen.Letter.NationalId, "auth.login.failed"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_cookie_is_HttpOnly_SameSite_Lax_and_carries_no_claims_in_clear()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var client = new HubWebClient(hub.BaseAddress);
        var login = new ActivatedCitizen(client, citizen.Letter, citizen.Password, citizen.TotpSecret);
        CitizenWeb.Expect(await client.PasswordAsync(citizen.Letter.NationalId, citizen.Password), "/login/verify", "password");

        using var http = new HttpClient(new HttpClientHandler { CookieContainer = client.Cookies, AllowAutoRedirect = false }) { BaseAddress = hub.BaseAddress };
        var page = await client.GetAsync("/login/verify");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Code"] = login.NextCode(), ["__RequestVerificationToken"] = HubWebClient.TokenOf(page.Body) });
        using var response = await http.PostAsync(new Uri("/login/verify?handler=Totp", UriKind.Relative), form);

        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("hub.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(citizen.Letter.NationalId, setCookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_pages_carry_the_security_headers_and_no_inline_script()
    {
        using var client = new HttpClient { BaseAddress = hub.BaseAddress };
        using var response = await client.GetAsync(new Uri("/login", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.DoesNotMatch(new Regex("<script(?![^>]*\\ssrc=)[^>]*>"), body);
        Assert.Contains("autocomplete=\"username webauthn\"", body, StringComparison.Ordinal);
        Assert.Contains("name=\"__RequestVerificationToken\"", body, StringComparison.Ordinal);
    }
}
