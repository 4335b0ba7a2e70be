using System.Net;
using System.Text.RegularExpressions;
using IdentityHub.Authentication.Staff;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Console;

/// <summary>The console's HTTP-level defences, without a browser.</summary>
[Collection(HubCollection.Name)]
public sealed partial class ConsoleSecurityTests(HubFixture hub)
{
    [Fact]
    public async Task Sign_in_without_an_antiforgery_token_is_rejected()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = hub.BaseAddress };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "someone", ["Password"] = "whatever-password" });

        using var response = await client.PostAsync(new Uri("/console/sign-in", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("hub.console=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Sign_in_with_the_antiforgery_token_reaches_the_page_and_says_nothing_about_the_account()
    {
        // The mutation's control: the same POST with the token gets past antiforgery, so the 400 above is antiforgery's.
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = hub.BaseAddress };
        var page = await client.GetStringAsync(new Uri("/console/sign-in", UriKind.Relative));
        var token = Token().Match(page).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "no-such-account",
            ["Password"] = "whatever-password",
            ["__RequestVerificationToken"] = token,
        });

        using var response = await client.PostAsync(new Uri("/console/sign-in", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The username or password is wrong.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/console/sign-in")]
    [InlineData("/assets/hub.css")]
    [InlineData("/health/live")]
    public async Task Responses_carry_the_security_headers(string path)
    {
        using var response = await hub.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task Console_pages_send_anonymous_visitors_to_sign_in()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = hub.BaseAddress };

        using var response = await client.GetAsync(new Uri("/console/staff", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/console/sign-in", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_without_saying_so()
    {
        string password;
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            password = (await scope.ServiceProvider.GetRequiredService<StaffAccounts>()
                .CreateAsync("locked-lena", null, "officer", "tests", CancellationToken.None)).OneTimePassword!;
        }

        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = hub.BaseAddress };
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await PostSignInAsync(client, "locked-lena", "wrong password " + i);
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        using var right = await PostSignInAsync(client, "locked-lena", password);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode); // not the redirect of a successful sign-in
        Assert.Contains("The username or password is wrong.", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string userName, string password)
    {
        var page = await client.GetStringAsync(new Uri("/console/sign-in", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = password,
            ["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value,
        });
        return await client.PostAsync(new Uri("/console/sign-in", UriKind.Relative), form);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
