using IdentityHub.Authentication.Staff;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Console;

/// <summary>A hub of its own: the test needs to know every admin there is.</summary>
public sealed class LastAdminHubFixture : HubFixture;

/// <summary>
/// The console never leaves the hub without an enabled admin, also when two admins disable each other at the same
/// moment (each check alone would see the other still enabled).
/// </summary>
public sealed class LastAdminTests(LastAdminHubFixture hub) : IClassFixture<LastAdminHubFixture>
{
    [Fact]
    public async Task Two_admins_disabling_each_other_at_once_leave_exactly_one_enabled()
    {
        string? survivor = null;
        for (var round = 0; round < 5; round++)
        {
            var a = await NewAdminAsync();
            var b = await NewAdminAsync();
            if (survivor is not null)
            {
                // The operator disables last round's survivor (hubctl's path has no rule): a and b are the only enabled admins.
                await using var scope = hub.App.Services.CreateAsyncScope();
                Assert.Null(await scope.ServiceProvider.GetRequiredService<StaffAccounts>().DisableAsync(survivor, "tests", CancellationToken.None));
            }

            Assert.Equal(2, await EnabledAdminsAsync());
            var outcomes = await Task.WhenAll(DisableAsync(b, by: a), DisableAsync(a, by: b));

            Assert.Single(outcomes, o => o is null);
            Assert.Single(outcomes, o => o is not null && o.Contains("is the last enabled admin", StringComparison.Ordinal));
            Assert.Equal(1, await EnabledAdminsAsync());
            survivor = outcomes[0] is null ? a : b;
        }
    }

    private async Task<string?> DisableAsync(string userName, string by)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        await Task.Yield();
        return await scope.ServiceProvider.GetRequiredService<StaffAccountChanges>().DisableAsync(userName, by, CancellationToken.None);
    }

    private async Task<string> NewAdminAsync()
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var name = "admin-" + Guid.NewGuid().ToString("N")[..8];
        var created = await scope.ServiceProvider.GetRequiredService<StaffAccounts>().CreateAsync(name, null, StaffRoles.Admin, "tests", CancellationToken.None);
        Assert.True(created.Error is null, created.Error);
        return name;
    }

    private async Task<int> EnabledAdminsAsync()
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        return await (from u in db.Users
                      join ur in db.UserRoles on u.Id equals ur.UserId
                      join r in db.Roles on ur.RoleId equals r.Id
                      where r.Name == StaffRoles.Admin && u.DisabledAt == null
                      select u.Id).CountAsync();
    }
}
