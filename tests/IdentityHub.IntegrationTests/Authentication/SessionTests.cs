using System.Net;
using IdentityHub.Data;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Authentication;

/// <summary>Citizen sessions live in PostgreSQL: listed on the account page, ended one by one or all but this one.</summary>
[Collection(HubCollection.Name)]
public sealed class SessionTests(HubFixture hub)
{
    [Fact]
    public async Task Signing_out_another_session_ends_it_at_once_and_is_audited()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var laptop = new HubWebClient(hub.BaseAddress);
        using var phone = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await citizen.LoginAsync(laptop), "/account", "laptop");
        CitizenWeb.Expect(await citizen.LoginAsync(phone), "/account", "phone");

        var list = await laptop.GetAsync("/account");
        var phoneSession = await NewestSessionAsync(citizen.Letter.NationalId);
        Assert.Contains($"data-session=\"{phoneSession}\"", list.Body, StringComparison.Ordinal);
        var ended = await laptop.SubmitAsync("/account", new Dictionary<string, string> { ["SessionId"] = phoneSession.ToString() }, "/account?handler=EndSession");

        CitizenWeb.Expect(ended, "/account", "end session");
        var after = await phone.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, after.Status);
        Assert.StartsWith("/login", new Uri(new Uri("http://x"), after.Location!).AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/account")).Status);
        Assert.Contains(phoneSession.ToString(), await hub.LastAsync(citizen.Letter.NationalId, "auth.session.ended"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_out_of_all_other_sessions_keeps_only_this_one()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var other = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await citizen.LoginAsync(other), "/account", "other");

        var ended = await citizen.Client.SubmitAsync("/account", new Dictionary<string, string>(), "/account?handler=EndOthers");

        CitizenWeb.Expect(ended, "/account", "end others");
        Assert.Equal(HttpStatusCode.Redirect, (await other.GetAsync("/account")).Status);
        Assert.Equal(HttpStatusCode.OK, (await citizen.Client.GetAsync("/account")).Status);
    }

    [Fact]
    public async Task Sign_out_ends_the_session_row_and_a_copied_cookie_stops_working()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var cookie = citizen.Client.Cookies.GetCookies(hub.BaseAddress)["hub.session"]!.Value;

        CitizenWeb.Expect(await citizen.Client.SubmitAsync("/account", new Dictionary<string, string>(), "/sign-out"), "/login", "sign out");

        using var thief = new HubWebClient(hub.BaseAddress);
        thief.Cookies.Add(hub.BaseAddress, new Cookie("hub.session", cookie));
        Assert.Equal(HttpStatusCode.Redirect, (await thief.GetAsync("/account")).Status);
        Assert.Contains("signed-out", await hub.LastEndReasonAsync(citizen.Letter.NationalId), StringComparison.Ordinal);
    }

    private async Task<Guid> NewestSessionAsync(string nationalId)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var account = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == nationalId);
        return await db.Sessions.AsNoTracking().Where(s => s.AccountId == account.Id).OrderByDescending(s => s.CreatedAt).Select(s => s.Id).FirstAsync();
    }
}

internal static class SessionProbe
{
    public static async Task<string> LastEndReasonAsync(this HubFixture hub, string nationalId)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var account = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == nationalId);
        return await db.Sessions.AsNoTracking().Where(s => s.AccountId == account.Id && s.EndedAt != null).OrderByDescending(s => s.EndedAt).Select(s => s.EndReason!).FirstAsync();
    }
}
