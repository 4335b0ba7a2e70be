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

    /// <summary>The registry person a citizen account belongs to (null for staff).</summary>
    public Guid? PersonId { get; set; }

    /// <summary>When the citizen finished activation (password and a second factor set); null while it is under way.</summary>
    public DateTimeOffset? ActivatedAt { get; set; }

    /// <summary>
    /// How many times the account was locked out since its last successful sign-in: each lock-out lasts twice as long as
    /// the one before (exponential back-off, NIST SP 800-63B §5.2.2).
    /// </summary>
    public int LockoutEpisodes { get; set; }
}

/// <summary>A role in ASP.NET Core Identity's store (table accounts.roles).</summary>
public sealed class HubRole : IdentityRole<Guid>
{
}
