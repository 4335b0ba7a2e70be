using IdentityHub.Core.Keys;
using IdentityHub.Data;
using IdentityHub.Data.Registry;
using IdentityHub.Hsm;
using IdentityHub.Pki.Authorities;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Signing.Signers;

/// <summary>The qualified signature credential of a citizen: their active eID's signature key and its certificate.</summary>
public sealed record CitizenSignatureCredential(
    Guid PersonId,
    Guid EidId,
    string DocumentNumber,
    string KeyId,
    KeyAlgorithm Algorithm,
    string CertificateIssuer,
    string CertificateSerial,
    byte[] CertificateDer,
    DateTimeOffset CertificateNotAfter);

/// <summary>
/// Finds a citizen's signature credential (the active eID's unretired signature key) and turns it into a
/// <see cref="SignerIdentity"/>. Reading is free; using the identity's key is what signature activation guards.
/// </summary>
public sealed class CitizenSigners(HubDbContext db, WrappedKeyVault vault, PkiKeyring keyring)
{
    /// <summary>The citizen's current signature credential, or null when they hold no active eID with one.</summary>
    public async Task<CitizenSignatureCredential?> FindAsync(Guid personId, CancellationToken cancellationToken) =>
        Credential(await Current().Where(r => r.PersonId == personId).OrderByDescending(r => r.CreatedAt).FirstOrDefaultAsync(cancellationToken));

    /// <summary>
    /// The same for the person behind an account, with the account's user name, in one query (the signature gate's
    /// lookup on every signature); null when the account has no person or the person no credential.
    /// </summary>
    public async Task<(CitizenSignatureCredential Credential, string UserName)?> FindForAccountAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var found = await (
            from user in db.Users.AsNoTracking()
            where user.Id == accountId
            from row in Current()
            where row.PersonId == user.PersonId
            orderby row.CreatedAt descending
            select new { row, user.UserName }).FirstOrDefaultAsync(cancellationToken);
        return found is null ? null : (Credential(found.row)!, found.UserName ?? accountId.ToString());
    }

    /// <summary>
    /// The signer for a credential found by <see cref="FindAsync"/>. Callers hand it to a format only after the
    /// citizen's activation covered the data (see SignatureActivations).
    /// </summary>
    /// <summary>Active eIDs' unretired signature keys with their certificates.</summary>
    private IQueryable<CredentialRow> Current() =>
        from eid in db.Eids.AsNoTracking()
        join key in db.EidKeys.AsNoTracking() on eid.Id equals key.EidId
        join cert in db.IssuedCertificates.AsNoTracking()
            on new { Issuer = key.CertificateIssuer, Serial = key.CertificateSerial } equals new { Issuer = cert.IssuerName, Serial = cert.SerialNumber }
        where eid.Status == EidStatus.Active && key.Purpose == EidKeyPurpose.Signature && key.RetiredAt == null
        select new CredentialRow
        {
            PersonId = eid.PersonId,
            EidId = eid.Id,
            DocumentNumber = eid.DocumentNumber,
            CreatedAt = key.CreatedAt,
            Algorithm = key.Algorithm,
            SubjectPublicKeyInfo = key.SubjectPublicKeyInfo,
            CertificateIssuer = key.CertificateIssuer,
            CertificateSerial = key.CertificateSerial,
            CertificateDer = cert.CertificateDer,
            NotAfter = cert.NotAfter,
        };

    private static CitizenSignatureCredential? Credential(CredentialRow? row) => row is null
        ? null
        : new CitizenSignatureCredential(row.PersonId, row.EidId, row.DocumentNumber, CitizenSigningKey.KeyIdOf(row.SubjectPublicKeyInfo),
            KeyAlgorithms.Parse(row.Algorithm), row.CertificateIssuer, row.CertificateSerial, row.CertificateDer, row.NotAfter);

    internal async Task<SignerIdentity> OpenAsync(CitizenSignatureCredential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var key = await db.EidKeys.AsNoTracking()
            .Where(k => k.EidId == credential.EidId && k.Purpose == EidKeyPurpose.Signature && k.CertificateSerial == credential.CertificateSerial)
            .Select(k => new { k.WrappedPrivateKey, k.SubjectPublicKeyInfo })
            .SingleAsync(cancellationToken);
        var chain = await keyring.ChainAsync(credential.CertificateIssuer, cancellationToken);
        return new SignerIdentity(new CitizenSigningKey(vault, new WrappedKey(credential.Algorithm, key.WrappedPrivateKey, key.SubjectPublicKeyInfo)),
            credential.CertificateDer, chain);
    }

    private sealed class CredentialRow
    {
        public Guid PersonId { get; init; }

        public Guid EidId { get; init; }

        public required string DocumentNumber { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public required string Algorithm { get; init; }

        public required byte[] SubjectPublicKeyInfo { get; init; }

        public required string CertificateIssuer { get; init; }

        public required string CertificateSerial { get; init; }

        public required byte[] CertificateDer { get; init; }

        public DateTimeOffset NotAfter { get; init; }
    }
}
