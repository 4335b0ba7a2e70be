using IdentityHub.Data.Accounts;
using IdentityHub.Data.Pki;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Data;

/// <summary>
/// The hub's one database context; each area keeps its tables in its own PostgreSQL schema. It is ASP.NET Core
/// Identity's context as well (schema "accounts"), so an account change and its audit event share one transaction.
/// </summary>
public sealed class HubDbContext(DbContextOptions<HubDbContext> options) : IdentityDbContext<HubAccount, HubRole, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<CertificateAuthorityRecord> CertificateAuthorities => Set<CertificateAuthorityRecord>();

    public DbSet<IssuedCertificateRecord> IssuedCertificates => Set<IssuedCertificateRecord>();

    public DbSet<ServiceCredentialRecord> ServiceCredentials => Set<ServiceCredentialRecord>();

    public DbSet<Audit.AuditRecord> AuditEvents => Set<Audit.AuditRecord>();

    public DbSet<Registry.PersonRecord> Persons => Set<Registry.PersonRecord>();

    public DbSet<Registry.PersonVersionRecord> PersonVersions => Set<Registry.PersonVersionRecord>();

    public DbSet<Registry.EnrolmentRecord> Enrolments => Set<Registry.EnrolmentRecord>();

    public DbSet<Registry.EidRecord> Eids => Set<Registry.EidRecord>();

    public DbSet<Registry.EidKeyRecord> EidKeys => Set<Registry.EidKeyRecord>();

    public DbSet<Registry.ServicePointRecord> ServicePoints => Set<Registry.ServicePointRecord>();

    public DbSet<Registry.ApiCredentialRecord> ApiCredentials => Set<Registry.ApiCredentialRecord>();

    public DbSet<Registry.IdempotencyRecord> IdempotencyKeys => Set<Registry.IdempotencyRecord>();

    public DbSet<TotpAuthenticatorRecord> TotpAuthenticators => Set<TotpAuthenticatorRecord>();

    public DbSet<PasskeyDetailsRecord> PasskeyDetails => Set<PasskeyDetailsRecord>();

    public DbSet<RecoveryCodeRecord> RecoveryCodes => Set<RecoveryCodeRecord>();

    public DbSet<WebAuthnChallengeRecord> WebAuthnChallenges => Set<WebAuthnChallengeRecord>();

    public DbSet<SessionRecord> Sessions => Set<SessionRecord>();

    public DbSet<StaffServicePointRecord> StaffServicePoints => Set<StaffServicePointRecord>();

    public DbSet<AccountNoticeRecord> AccountNotices => Set<AccountNoticeRecord>();

    public DbSet<RecoveryLetterRecord> RecoveryLetters => Set<RecoveryLetterRecord>();

    public DbSet<Oidc.ClientAssertionRecord> ClientAssertions => Set<Oidc.ClientAssertionRecord>();

    public DbSet<Oidc.DpopProofRecord> DpopProofs => Set<Oidc.DpopProofRecord>();
    public DbSet<Oidc.SigningKeyRecord> SigningKeys => Set<Oidc.SigningKeyRecord>();
    public DbSet<Oidc.SessionClientRecord> SessionClients => Set<Oidc.SessionClientRecord>();

    public DbSet<Oidc.LogoutDeliveryRecord> LogoutDeliveries => Set<Oidc.LogoutDeliveryRecord>();

    public DbSet<Signing.SignatureActivationRecord> SignatureActivations => Set<Signing.SignatureActivationRecord>();

    public DbSet<Signing.SigningRequestRecord> SigningRequests => Set<Signing.SigningRequestRecord>();

    public DbSet<Signing.SigningDocumentRecord> SigningDocuments => Set<Signing.SigningDocumentRecord>();

    public DbSet<Saml.ServiceProviderRecord> SamlServiceProviders => Set<Saml.ServiceProviderRecord>();

    public DbSet<Saml.SamlRequestRecord> SamlRequests => Set<Saml.SamlRequestRecord>();

    public DbSet<Saml.SessionServiceProviderRecord> SamlSessionServiceProviders => Set<Saml.SessionServiceProviderRecord>();

    public DbSet<Saml.SamlSigningKeyRecord> SamlSigningKeys => Set<Saml.SamlSigningKeyRecord>();

    public DbSet<Saml.SamlLogoutRecord> SamlLogouts => Set<Saml.SamlLogoutRecord>();

    public DbSet<Saml.SamlLogoutPartyRecord> SamlLogoutParties => Set<Saml.SamlLogoutPartyRecord>();

    public DbSet<Saml.SamlConsentRecord> SamlConsents => Set<Saml.SamlConsentRecord>();

    public DbSet<Saml.SamlBackChannelLogoutRecord> SamlBackChannelLogouts => Set<Saml.SamlBackChannelLogoutRecord>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Identity reads its schema version from IdentityOptions in the application's services: version 3 (with the
        // passkey table) everywhere, design time included (see IdentitySchema).
        base.OnModelCreating(builder);
        AccountEntityConfiguration.Configure(builder);
        Oidc.OidcEntityConfiguration.Configure(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(HubDbContext).Assembly);
    }
}
