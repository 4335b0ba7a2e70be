using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Data.Accounts;

/// <summary>
/// Puts ASP.NET Core Identity's tables in the "accounts" schema with snake_case table names like the other areas
/// (columns keep EF's names, as in pki and audit), and seeds the staff roles with fixed ids so the migration is stable.
/// </summary>
internal static class AccountEntityConfiguration
{
    public const string Schema = "accounts";

    private static readonly (string Name, Guid Id)[] SeededRoles =
    [
        (StaffRoles.Officer, new Guid("6f1d3a52-0c1e-4b7a-9a61-000000000001")),
        (StaffRoles.Supervisor, new Guid("6f1d3a52-0c1e-4b7a-9a61-000000000002")),
        (StaffRoles.Auditor, new Guid("6f1d3a52-0c1e-4b7a-9a61-000000000003")),
        (StaffRoles.Admin, new Guid("6f1d3a52-0c1e-4b7a-9a61-000000000004")),
    ];

    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<HubAccount>(b =>
        {
            b.ToTable("users", Schema);
            b.Property(x => x.DisplayName).HasMaxLength(200);
            b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        });
        builder.Entity<HubRole>(b =>
        {
            b.ToTable("roles", Schema);
            b.HasData(SeededRoles.Select(r => new HubRole
            {
                Id = r.Id,
                Name = r.Name,
                NormalizedName = r.Name.ToUpperInvariant(),
                ConcurrencyStamp = r.Id.ToString("N"),
            }));
        });
        builder.Entity<IdentityUserRole<Guid>>().ToTable("user_roles", Schema);
        builder.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims", Schema);
        builder.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins", Schema);
        builder.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens", Schema);
        builder.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims", Schema);
    }
}
