using IdentityHub.Data.Accounts;
using IdentityHub.Enrolment.Http;
using Microsoft.AspNetCore.Identity;

namespace IdentityHub.Server.OfficerConsole;

/// <summary>The enrolment API's view of staff accounts: the roles of an enabled staff account (Identity's store).</summary>
internal sealed class IdentityStaffDirectory(UserManager<HubAccount> users) : IStaffDirectory
{
    public async Task<IReadOnlySet<string>?> RolesOfAsync(string userName, CancellationToken cancellationToken)
    {
        var account = await users.FindByNameAsync(userName);
        if (account is null || account.Kind != AccountKind.Staff || account.DisabledAt is not null || account.MustChangePassword)
        {
            return null;
        }

        return (await users.GetRolesAsync(account)).ToHashSet(StringComparer.Ordinal);
    }
}
