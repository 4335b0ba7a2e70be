using IdentityHub.Core.Keys;
using System.Security.Cryptography.X509Certificates;
using IdentityHub.Data.Registry;
using IdentityHub.Hsm;
using IdentityHub.Pki;
using IdentityHub.Pki.Hierarchy;

namespace IdentityHub.Enrolment.Issuance;

/// <summary>A pair of citizen keys generated in the HSM and held only wrapped (ARCHITECTURE.md "Keys at national scale").</summary>
public sealed record CitizenKeyPair(WrappedKey Authentication, WrappedKey Signature);

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

    /// <summary>Issues both certificates inside the caller's transaction and returns the key rows to store with the eID.</summary>
    public async Task<(IReadOnlyList<EidKeyRecord> Keys, DateTimeOffset NotAfter)> CertifyAsync(
        Guid eidId, PersonRecord person, CitizenKeyPair keys, string actor, CancellationToken ct)
    {
        var subject = DistinguishedNames.ForNaturalPerson(hierarchy.Country, person.GivenNames, person.Surname, person.NationalId);
        var now = time.GetUtcNow();
        var auth = await issuer.IssueAsync(AuthenticationProfile, subject, keys.Authentication.SubjectPublicKeyInfo, ct, actor);
        var sign = await issuer.IssueAsync(SignatureProfile, subject, keys.Signature.SubjectPublicKeyInfo, ct, actor);
        var notAfter = new[] { auth, sign }.Min(c => new DateTimeOffset(X509CertificateLoader.LoadCertificate(c.Der).NotAfter.ToUniversalTime(), TimeSpan.Zero));
        return ([Row(eidId, EidKeyPurpose.Authentication, keys.Authentication, auth, now), Row(eidId, EidKeyPurpose.Signature, keys.Signature, sign, now)], notAfter);
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
