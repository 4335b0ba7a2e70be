using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IdentityHub.Core.Audit;
using IdentityHub.Core.Keys;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Saml;
using IdentityHub.Hsm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.Saml.Signing;

/// <summary>The IdP's signing key as this node uses it: the HSM key behind an <see cref="AsymmetricAlgorithm"/> adapter and its certificate.</summary>
internal sealed record SamlSigningKey(string HsmKeyId, AsymmetricAlgorithm Key, X509Certificate2 Certificate);

/// <summary>
/// The IdP's signing keys in saml.signing_keys and the HSM: the first use on a new hub generates an RSA key inside the
/// token (non-extractable; most SPs expect RSA-SHA256) and a self-signed certificate for it, signed by that key through
/// the HSM seam (decision 0005: no CopyWithPrivateKey). The certificate is what SPs pin from the metadata; its validity
/// only bounds how long they may pin it (saml-metadata §2.4.1.1: KeyDescriptor trust comes from the metadata).
/// </summary>
internal sealed class SamlSigningKeys(HubDbContext db, IKeyStore keys, AuditLog audit, TimeProvider time, IOptions<SamlOptions> options)
{
    public const string Current = "current";

    /// <summary>Arbitrary constant naming the advisory lock of key creation.</summary>
    private const long CreationLock = 0x5A41_4C01;

    /// <summary>Creates the first current key when there is none; false when one exists.</summary>
    public async Task<bool> EnsureAsync(string actor, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({CreationLock})", ct);
        if (await db.SamlSigningKeys.AnyAsync(k => k.State == Current, ct))
        {
            return false;
        }

        var now = time.GetUtcNow();
        var algorithm = KeyAlgorithm.Rsa3072;
        var key = keys.Generate("saml-signing-" + now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), algorithm);
        var certificate = SelfSigned(key, options.Value.EntityId ?? "IdentityHub SAML IdP", now);
        db.SamlSigningKeys.Add(new SamlSigningKeyRecord
        {
            HsmKeyId = key.KeyId,
            KeyAlgorithm = algorithm.ToConfigName(),
            CertificateDer = certificate.RawData,
            State = Current,
            CreatedAt = now,
            ActivatedAt = now,
        });
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEvent("saml.signing-key.created", actor, "saml signing key", new Dictionary<string, string>
        {
            ["hsmKeyId"] = key.KeyId,
            ["algorithm"] = algorithm.ToConfigName(),
            ["certificateSha256"] = Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)),
            ["notAfter"] = certificate.NotAfter.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        }), ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>The current key bound to the HSM; null when there is none yet.</summary>
    public async Task<SamlSigningKey?> CurrentAsync(CancellationToken ct)
    {
        var row = await db.SamlSigningKeys.AsNoTracking().FirstOrDefaultAsync(k => k.State == Current, ct);
        if (row is null)
        {
            return null;
        }

        var key = keys.Find(row.HsmKeyId) ?? throw new InvalidOperationException(
            $"The HSM token (Hsm:TokenLabel) has no key {row.HsmKeyId} for the SAML signing key: the database and the token do not belong together.");
        return new SamlSigningKey(row.HsmKeyId, key.AsAsymmetricAlgorithm(), X509CertificateLoader.LoadCertificate(row.CertificateDer));
    }

    /// <summary>A self-signed certificate (RFC 5280) for the HSM key, valid five years: SAML SPs pin it from the metadata.</summary>
    private static X509Certificate2 SelfSigned(ISigningKey key, string entityId, DateTimeOffset now)
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName("SAML signing " + (entityId.Length > 40 ? entityId[..40] : entityId));
        var subject = name.Build();
        var rsa = key.AsRsa();
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive INTEGER (RFC 5280 §4.1.2.2)
        return request.Create(subject, X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1), now.AddMinutes(-5), now.AddYears(5), serial);
    }
}
