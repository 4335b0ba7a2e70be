using System.Net;
using System.Text.RegularExpressions;
using IdentityHub.Authentication.Staff;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Console;

/// <summary>Passwords are stored as Argon2id; an older PBKDF2 hash is replaced at the next successful sign-in.</summary>
[Collection(HubCollection.Name)]
public sealed partial class PasswordHashingTests(HubFixture hub)
{
    [Fact]
    public async Task New_accounts_get_Argon2id_and_a_PBKDF2_hash_is_rehashed_at_sign_in()
    {
        var userName = "legacy-" + Guid.NewGuid().ToString("N")[..6];
        string password;
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            password = (await scope.ServiceProvider.GetRequiredService<StaffAccounts>()
                .CreateAsync(userName, null, StaffRoles.Officer, "tests", CancellationToken.None)).OneTimePassword!;
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", await HashOfAsync(db, userName), StringComparison.Ordinal);

            // As the account would look had it been created before Argon2id.
            var legacy = new PasswordHasher<HubAccount>().HashPassword(new HubAccount { UserName = userName }, password);
            await db.Users.Where(u => u.UserName == userName).ExecuteUpdateAsync(u => u.SetProperty(a => a.PasswordHash, legacy));
        }

        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = hub.BaseAddress };
        var page = await client.GetStringAsync(new Uri("/console/sign-in", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = password,
            ["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value,
        });
        using var signedIn = await client.PostAsync(new Uri("/console/sign-in", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        await using var check = hub.App.Services.CreateAsyncScope();
        Assert.StartsWith("$argon2id$", await HashOfAsync(check.ServiceProvider.GetRequiredService<HubDbContext>(), userName), StringComparison.Ordinal);
    }

    private static Task<string?> HashOfAsync(HubDbContext db, string userName) =>
        db.Users.AsNoTracking().Where(u => u.UserName == userName).Select(u => u.PasswordHash).SingleAsync();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
