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
        (StaffRoles.Helpdesk, new Guid("6f1d3a52-0c1e-4b7a-9a61-000000000005")),
    ];

    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<HubAccount>(b =>
        {
            b.ToTable("users", Schema);
            b.Property(x => x.DisplayName).HasMaxLength(200);
            b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            // One citizen account per registry person.
            b.HasIndex(x => x.PersonId).IsUnique().HasFilter("\"PersonId\" IS NOT NULL");
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
        builder.Entity<IdentityUserPasskey<Guid>>().ToTable("user_passkeys", Schema);

        builder.Entity<TotpAuthenticatorRecord>(b =>
        {
            b.ToTable("totp_authenticators", Schema);
            b.HasKey(x => x.Id);
            b.Property(x => x.Name).HasMaxLength(100);
            b.HasIndex(x => x.AccountId);
            b.HasOne<HubAccount>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<PasskeyDetailsRecord>(b =>
        {
            b.ToTable("passkey_details", Schema);
            b.HasKey(x => x.CredentialId);
            b.Property(x => x.AttestationFormat).HasMaxLength(32);
            b.Property(x => x.AttestationAnchor).HasMaxLength(500);
            b.Property(x => x.BoundAtLevel).HasMaxLength(64);
            b.HasIndex(x => x.AccountId);
            b.HasOne<HubAccount>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<RecoveryCodeRecord>(b =>
        {
            b.ToTable("recovery_codes", Schema);
            b.HasKey(x => x.Id);
            b.HasIndex(x => x.AccountId);
            b.HasOne<HubAccount>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<WebAuthnChallengeRecord>(b =>
        {
            b.ToTable("webauthn_challenges", Schema);
            b.HasKey(x => x.Id);
            b.Property(x => x.Ceremony).HasMaxLength(16);
            b.HasIndex(x => x.ExpiresAt);
        });
        builder.Entity<SessionRecord>(b =>
        {
            b.ToTable("sessions", Schema);
            b.HasKey(x => x.Id);
            b.Property(x => x.Audience).HasMaxLength(16);
            b.Property(x => x.EndReason).HasMaxLength(32);
            b.Property(x => x.IpAddress).HasMaxLength(64);
            b.Property(x => x.UserAgent).HasMaxLength(300);
            b.Property(x => x.Authentications).HasColumnType("jsonb");
            b.Property(x => x.Level).HasMaxLength(64);
            b.Property(x => x.Roles).HasMaxLength(200);
            b.Property(x => x.ServicePoint).HasMaxLength(64);
            // A counter device's officer sessions, and the token lookup of the enrolment API.
            b.HasIndex(x => x.ApiCredentialId).HasFilter("\"ApiCredentialId\" IS NOT NULL");
            // The session list of one account: open sessions first.
            b.HasIndex(x => new { x.AccountId, x.EndedAt });
            b.HasOne<HubAccount>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<StaffServicePointRecord>(b =>
        {
            b.ToTable("staff_service_points", Schema);
            b.HasKey(x => new { x.AccountId, x.ServicePoint });
            b.Property(x => x.ServicePoint).HasMaxLength(64);
            b.Property(x => x.AssignedBy).HasMaxLength(256);
            b.HasIndex(x => x.ServicePoint);
            b.HasOne<HubAccount>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<Registry.ServicePointRecord>().WithMany().HasForeignKey(x => x.ServicePoint).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<AccountNoticeRecord>(b =>
        {
            b.ToTable("notices", Schema);
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).UseIdentityAlwaysColumn();
            b.Property(x => x.Kind).HasMaxLength(64);
            b.Property(x => x.Details).HasColumnType("jsonb");
            b.HasIndex(x => new { x.AccountId, x.CreatedAt });
            b.HasOne<HubAccount>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<RecoveryLetterRecord>(b =>
        {
            b.ToTable("recovery_letters", Schema);
            b.HasKey(x => x.Id);
            b.Property(x => x.IssuedBy).HasMaxLength(256);
            b.Property(x => x.Channel).HasMaxLength(128);
            b.Property(x => x.Delivery).HasMaxLength(16);
            b.HasIndex(x => x.AccountId);
            // At most one posted letter waits for printing per account: a burst of requests queues one letter.
            b.HasIndex(x => x.AccountId, "IX_recovery_letters_one_queued_per_account").IsUnique().HasFilter("\"PrintedAt\" IS NULL");
            b.HasOne<HubAccount>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
