using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityHub.IntegrationTests.Console;

/// <summary>
/// Every request checks the cookie against its session row: the account, roles and level the cookie claims must be
/// the row's, and the row's roles still the account's — a role taken away ends the session on the next request.
/// </summary>
[Collection(HubCollection.Name)]
public sealed partial class SessionRowCheckTests(HubFixture hub)
{
    [Fact]
    public async Task A_staff_member_whose_role_is_removed_loses_access_on_the_next_request()
    {
        var (userName, client, _) = await SignedInAsync("demoted");
        using var signedIn = client;
        Assert.True(await SessionLifetimeTests.IsSignedInAsync(client));

        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<HubAccount>>();
            var account = (await users.FindByNameAsync(userName))!;
            Assert.True((await users.RemoveFromRoleAsync(account, "officer")).Succeeded);
        }

        Assert.False(await SessionLifetimeTests.IsSignedInAsync(client));
        Assert.Equal("roles-changed", await LastEndReasonAsync(userName));
    }

    [Theory]
    [InlineData("roles")]
    [InlineData("level")]
    [InlineData("account")]
    public async Task A_cookie_that_disagrees_with_its_session_row_is_refused(string change)
    {
        var (_, client, cookies) = await SignedInAsync("forged-" + change);
        client.Dispose();
        var other = "other-" + Guid.NewGuid().ToString("N")[..6];
        await hub.CreateStaffAsync(other, "officer");
        var format = hub.App.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(HubSchemes.Staff).TicketDataFormat;
        var console = new Uri(hub.BaseAddress, "/console/");
        var ticket = format.Unprotect(cookies.GetCookies(console)[HubCookies.ConsoleCookieName]!.Value)!;

        // The same ticket protected again works: what follows is refused for what it says, not for how it was made.
        using (var genuine = WithCookie(console, format.Protect(ticket)))
        {
            Assert.True(await SessionLifetimeTests.IsSignedInAsync(genuine));
        }

        var identity = (ClaimsIdentity)ticket.Principal.Identity!;
        switch (change)
        {
            case "roles":
                identity.AddClaim(new Claim(identity.RoleClaimType, "admin"));
                break;
            case "level":
                Replace(identity, HubClaimTypes.Acr, identity.FindFirst(HubClaimTypes.Acr)?.Value == LevelsOfAssurance.HighUri ? LevelsOfAssurance.LowUri : LevelsOfAssurance.HighUri);
                break;
            default:
                await using (var scope = hub.App.Services.CreateAsyncScope())
                {
                    var id = (await scope.ServiceProvider.GetRequiredService<UserManager<HubAccount>>().FindByNameAsync(other))!.Id;
                    Replace(identity, ClaimTypes.NameIdentifier, id.ToString());
                }

                break;
        }

        using var forged = WithCookie(console, format.Protect(ticket));
        Assert.False(await SessionLifetimeTests.IsSignedInAsync(forged));
    }

    private static void Replace(ClaimsIdentity identity, string type, string value)
    {
        foreach (var claim in identity.FindAll(type).ToList())
        {
            identity.RemoveClaim(claim);
        }

        identity.AddClaim(new Claim(type, value));
    }

    private HttpClient WithCookie(Uri console, string value)
    {
        var jar = new CookieContainer();
        jar.Add(console, new Cookie(HubCookies.ConsoleCookieName, value, "/console"));
        return new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = hub.BaseAddress };
    }

    private async Task<(string UserName, HttpClient Client, CookieContainer Cookies)> SignedInAsync(string prefix)
    {
        var userName = prefix + "-" + Guid.NewGuid().ToString("N")[..6];
        var password = await hub.CreateStaffAsync(userName, "officer");
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = hub.BaseAddress };
        var page = await client.GetStringAsync(new Uri("/console/sign-in", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = password,
            ["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value,
        });
        using var response = await client.PostAsync(new Uri("/console/sign-in", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (userName, client, cookies);
    }

    private async Task<string?> LastEndReasonAsync(string userName)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var account = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == userName);
        return await db.Sessions.AsNoTracking().Where(s => s.AccountId == account.Id && s.EndedAt != null).OrderByDescending(s => s.EndedAt).Select(s => s.EndReason).FirstOrDefaultAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
