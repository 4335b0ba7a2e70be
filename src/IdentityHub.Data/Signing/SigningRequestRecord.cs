using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityHub.Data.Signing;

/// <summary>
/// Documents a citizen is asked to sign (uploaded by the citizen in the portal, or sent by an agency), with the format
/// and level to sign them in. The originals are deleted once signed unless the citizen asked to keep them; the row
/// stays as the citizen's history (names, hashes, times, agency).
/// </summary>
public sealed class SigningRequestRecord
{
    public Guid Id { get; set; }

    /// <summary>The citizen's account; null for an agency request no citizen has opened yet.</summary>
    public Guid? AccountId { get; set; }

    /// <summary>The agency (OAuth client id) that sent the request; null when the citizen uploaded the documents.</summary>
    public string? ClientId { get; set; }

    /// <summary>The subject (the agency's pairwise sub) the agency expects to sign; only that citizen may open it.</summary>
    public string? ExpectedSubject { get; set; }

    /// <summary>pades, xades, cades or asice.</summary>
    public required string Format { get; set; }

    /// <summary>B-B, B-T, B-LT or B-LTA.</summary>
    public required string Level { get; set; }

    /// <summary>PAdES only: draw the signature on the first page.</summary>
    public bool Visible { get; set; }

    /// <summary>
    /// PAdES only: certify the document (ISO 32000-1 §12.8.2.2 DocMDP) with this permission, 1 = no changes,
    /// 2 = form filling and signing, 3 = also annotations; null = an approval signature.
    /// </summary>
    public int? Certification { get; set; }

    /// <summary>What the agency says the signature is for, shown to the citizen.</summary>
    public string? Purpose { get; set; }

    /// <summary>Where the agency is told (POST, no documents) when the request was signed or refused.</summary>
    public string? CallbackUri { get; set; }

    /// <summary>pending, signed, failed, cancelled.</summary>
    public required string State { get; set; }

    public Guid? ActivationId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When an unsigned request, or the signed documents, are deleted.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? SignedAt { get; set; }

    /// <summary>The citizen asked the hub to keep the signed documents (until <see cref="ExpiresAt"/>).</summary>
    public bool KeepDocuments { get; set; }

    public string? KeyId { get; set; }

    public string? CertificateSerial { get; set; }

    /// <summary>A stable code when signing failed (e.g. the time-stamp authority was unreachable).</summary>
    public string? FailureCode { get; set; }

    public List<SigningDocumentRecord> Documents { get; set; } = [];
}

/// <summary>One document of a request: what was uploaded (until signed) and what the signature produced.</summary>
public sealed class SigningDocumentRecord
{
    public long Id { get; set; }

    public Guid RequestId { get; set; }

    public int Position { get; set; }

    public required string Name { get; set; }

    public required string MimeType { get; set; }

    public long Size { get; set; }

    /// <summary>SHA-256 of the document as uploaded: what the citizen is shown and activates.</summary>
    public required byte[] Sha256 { get; set; }

    /// <summary>
    /// The uploaded bytes; null once signed (the originals are not kept), except when the signed document is an
    /// incremental update of them (<see cref="SignedAppendsContent"/>): then they are its first part.
    /// </summary>
    public byte[]? Content { get; set; }

    /// <summary>
    /// The signed result (a signed PDF, an XML with its signature, a .p7s, an ASiC-E container), or only what the
    /// signature appended to <see cref="Content"/> when <see cref="SignedAppendsContent"/>; null until signed or after deletion.
    /// </summary>
    public byte[]? SignedContent { get; set; }

    /// <summary>
    /// The signed document is <see cref="Content"/> followed by <see cref="SignedContent"/> (a PAdES signature is an
    /// incremental update: the upload, unchanged, then the new revision), so a large PDF is not written twice.
    /// </summary>
    public bool SignedAppendsContent { get; set; }

    public string? SignedName { get; set; }

    public string? SignedMimeType { get; set; }

    public byte[]? SignedSha256 { get; set; }
}

internal sealed class SigningRequestConfiguration : IEntityTypeConfiguration<SigningRequestRecord>
{
    public void Configure(EntityTypeBuilder<SigningRequestRecord> builder)
    {
        builder.ToTable("requests", "signing", t => t.HasCheckConstraint("CK_requests_certification", "\"Certification\" IS NULL OR \"Certification\" BETWEEN 1 AND 3"));
        builder.HasKey(r => r.Id);
        builder.Property(r => r.ClientId).HasMaxLength(100);
        builder.Property(r => r.ExpectedSubject).HasMaxLength(200);
        builder.Property(r => r.Format).HasMaxLength(16);
        builder.Property(r => r.Level).HasMaxLength(8);
        builder.Property(r => r.Purpose).HasMaxLength(500);
        builder.Property(r => r.CallbackUri).HasMaxLength(2000);
        builder.Property(r => r.State).HasMaxLength(16);
        builder.Property(r => r.KeyId).HasMaxLength(64);
        builder.Property(r => r.CertificateSerial).HasMaxLength(64);
        builder.Property(r => r.FailureCode).HasMaxLength(64);
        builder.HasMany(r => r.Documents).WithOne().HasForeignKey(d => d.RequestId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.AccountId, r.CreatedAt });
        builder.HasIndex(r => new { r.ClientId, r.CreatedAt });
        builder.HasIndex(r => r.ExpiresAt);
    }
}

internal sealed class SigningDocumentConfiguration : IEntityTypeConfiguration<SigningDocumentRecord>
{
    public void Configure(EntityTypeBuilder<SigningDocumentRecord> builder)
    {
        builder.ToTable("documents", "signing");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Name).HasMaxLength(200);
        builder.Property(d => d.MimeType).HasMaxLength(200);
        builder.Property(d => d.SignedName).HasMaxLength(220);
        builder.Property(d => d.SignedMimeType).HasMaxLength(200);
        builder.HasIndex(d => new { d.RequestId, d.Position }).IsUnique();
    }
}
