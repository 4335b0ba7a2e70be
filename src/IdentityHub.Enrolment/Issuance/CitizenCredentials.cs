using IdentityHub.Core.Audit;
using IdentityHub.Core.Keys;
using System.Security.Cryptography.X509Certificates;
using IdentityHub.Data.Registry;
using IdentityHub.Hsm;
using IdentityHub.Pki;
using IdentityHub.Pki.Hierarchy;

namespace IdentityHub.Enrolment.Issuance;

/// <summary>A pair of citizen keys generated in the HSM and held only wrapped (ARCHITECTURE.md "Keys at national scale").</summary>
public sealed record CitizenKeyPair(WrappedKey Authentication, WrappedKey Signature);

/// <summary>The two certificates signed for a key pair, not yet in the registry.</summary>
public sealed record CitizenCertificates(CitizenKeyPair Keys, IssuedCertificate Authentication, IssuedCertificate Signature);

/// <summary>
/// Generates a citizen's two keys in the HSM and certifies them with the ETSI EN 319 412-2 natural-person profiles of
/// pki/hierarchy.json. Certification joins the caller's transaction, so the certificates are recorded exactly when the
/// eID that holds them is.
/// </summary>
public sealed class CitizenCredentials(WrappedKeyVault vault, CertificateIssuer issuer, HierarchyProvider hierarchy, TimeProvider time)
{
    public const string AuthenticationProfile = "citizen-authentication";
    public const string SignatureProfile = "citizen-signature";

    public string Country => hierarchy.Country;

    /// <summary>Key generation touches only the HSM (session objects, destroyed at once); nothing is stored yet.</summary>
    public CitizenKeyPair GenerateKeys() => new(
        vault.Generate(hierarchy.ProfileKeyAlgorithm(AuthenticationProfile)),
        vault.Generate(hierarchy.ProfileKeyAlgorithm(SignatureProfile)));

    /// <summary>Signs both certificates (HSM work, nothing recorded yet) for the names and national id given.</summary>
    public async Task<CitizenCertificates> SignAsync(string givenNames, string surname, string nationalId, CitizenKeyPair keys, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var subject = DistinguishedNames.ForNaturalPerson(hierarchy.Country, givenNames, surname, nationalId);
        var auth = await issuer.SignAsync(AuthenticationProfile, subject, keys.Authentication.SubjectPublicKeyInfo, ct);
        var sign = await issuer.SignAsync(SignatureProfile, subject, keys.Signature.SubjectPublicKeyInfo, ct);
        return new CitizenCertificates(keys, auth, sign);
    }

    /// <summary>
    /// Adds both certificates to the registry and returns the key rows to store with the eID, the certificates' common
    /// end of validity and the audit events to append, all for the caller's transaction.
    /// </summary>
    public (IReadOnlyList<EidKeyRecord> Keys, DateTimeOffset NotAfter, IReadOnlyList<AuditEvent> Events) Record(Guid eidId, CitizenCertificates certificates, string actor)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var now = time.GetUtcNow();
        var events = new[] { issuer.Record(certificates.Authentication, actor), issuer.Record(certificates.Signature, actor) };
        var notAfter = new[] { certificates.Authentication, certificates.Signature }
            .Min(c => new DateTimeOffset(X509CertificateLoader.LoadCertificate(c.Der).NotAfter.ToUniversalTime(), TimeSpan.Zero));
        return ([Row(eidId, EidKeyPurpose.Authentication, certificates.Keys.Authentication, certificates.Authentication, now),
            Row(eidId, EidKeyPurpose.Signature, certificates.Keys.Signature, certificates.Signature, now)], notAfter, events);
    }

    /// <summary>Signs and records in one go, inside the caller's transaction (renewal and replacement).</summary>
    public async Task<(IReadOnlyList<EidKeyRecord> Keys, DateTimeOffset NotAfter, IReadOnlyList<AuditEvent> Events)> CertifyAsync(
        Guid eidId, PersonRecord person, CitizenKeyPair keys, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(person);
        var certificates = await SignAsync(person.GivenNames, person.Surname, person.NationalId, keys, ct);
        return Record(eidId, certificates, actor);
    }

    private static EidKeyRecord Row(Guid eidId, EidKeyPurpose purpose, WrappedKey key, IssuedCertificate certificate, DateTimeOffset now) => new()
    {
        EidId = eidId,
        Purpose = purpose,
        Algorithm = key.Algorithm.ToConfigName(),
        WrappedPrivateKey = key.Blob,
        SubjectPublicKeyInfo = key.SubjectPublicKeyInfo,
        CertificateIssuer = certificate.IssuerName,
        CertificateSerial = certificate.SerialNumber,
        CreatedAt = now,
    };
}
