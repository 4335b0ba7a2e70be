using Microsoft.AspNetCore.Identity;

namespace IdentityHub.Data.Accounts;

/// <summary>An account in ASP.NET Core Identity's store (table accounts.users).</summary>
public sealed class HubAccount : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";

    public AccountKind Kind { get; set; } = AccountKind.Staff;

    /// <summary>Set while the account holds a one-time password from hubctl or an admin: every page but change-password is closed.</summary>
    public bool MustChangePassword { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When an admin disabled the account; a disabled account is also locked out for good.</summary>
    public DateTimeOffset? DisabledAt { get; set; }
}

/// <summary>A role in ASP.NET Core Identity's store (table accounts.roles).</summary>
public sealed class HubRole : IdentityRole<Guid>
{
}
