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
    public async Task<CitizenSignatureCredential?> FindAsync(Guid personId, CancellationToken cancellationToken)
    {
        var row = await (
            from eid in db.Eids.AsNoTracking()
            join key in db.EidKeys.AsNoTracking() on eid.Id equals key.EidId
            join cert in db.IssuedCertificates.AsNoTracking()
                on new { Issuer = key.CertificateIssuer, Serial = key.CertificateSerial } equals new { Issuer = cert.IssuerName, Serial = cert.SerialNumber }
            where eid.PersonId == personId && eid.Status == EidStatus.Active && key.Purpose == EidKeyPurpose.Signature && key.RetiredAt == null
            orderby key.CreatedAt descending
            select new { eid.Id, eid.DocumentNumber, key.Algorithm, key.SubjectPublicKeyInfo, key.CertificateIssuer, key.CertificateSerial, cert.CertificateDer, cert.NotAfter })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null
            ? null
            : new CitizenSignatureCredential(personId, row.Id, row.DocumentNumber, CitizenSigningKey.KeyIdOf(row.SubjectPublicKeyInfo),
                KeyAlgorithms.Parse(row.Algorithm), row.CertificateIssuer, row.CertificateSerial, row.CertificateDer, row.NotAfter);
    }

    /// <summary>
    /// The signer for a credential found by <see cref="FindAsync"/>. Callers hand it to a format only after the
    /// citizen's activation covered the data (see SignatureActivations).
    /// </summary>
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
}
