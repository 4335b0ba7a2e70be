using IdentityHub.Authentication.Staff;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Testing;

public static class StaffOnHub
{
    /// <summary>Creates a staff account directly through the hub's services; returns its one-time password.</summary>
    public static async Task<string> CreateStaffAsync(this HubFixture hub, string userName, string role)
    {
        ArgumentNullException.ThrowIfNull(hub);
        await using var scope = hub.App.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<StaffAccounts>()
            .CreateAsync(userName, userName + " (test)", role, "tests", CancellationToken.None);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("creating a test staff account failed: " + created.Error);
        }

        return created.OneTimePassword!;
    }
}
