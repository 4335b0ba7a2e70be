using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityHub.Data.Signing;

/// <summary>The life of a signature activation (CEN EN 419 241-1 SCAL2): prepared, then activated once, then consumed once.</summary>
public static class SignatureActivationStates
{
    /// <summary>The documents are known and shown; the citizen has not yet proved the second factor.</summary>
    public const string Prepared = "prepared";

    /// <summary>The second factor over the bound challenge verified: the key may be used once, until it expires.</summary>
    public const string Activated = "activated";

    /// <summary>The key was used for the activation's hashes; it never works again.</summary>
    public const string Consumed = "consumed";
}

/// <summary>
/// One signature activation: which citizen, which key, exactly which hashes (the data to be signed), the nonce its
/// challenge was derived from, who asked and from where. The activation data (a passkey assertion or a TOTP code) is
/// never stored; only that it verified. Consumption is one conditional UPDATE on this row, so two nodes cannot both
/// use it.
/// </summary>
public sealed class SignatureActivationRecord
{
    public Guid Id { get; set; }

    public Guid AccountId { get; set; }

    public Guid PersonId { get; set; }

    /// <summary>The signature key's id (base64url SHA-256 of its SubjectPublicKeyInfo; also the CSC credentialID).</summary>
    public required string KeyId { get; set; }

    public required string CertificateIssuer { get; set; }

    public required string CertificateSerial { get; set; }

    /// <summary>The hash algorithm of <see cref="Documents"/>' hashes, as an OID (2.16.840.1.101.3.4.2.1 for SHA-256).</summary>
    public required string HashAlgorithm { get; set; }

    /// <summary>The documents shown to the citizen, in order: JSON [{ "name", "size", "hash" (hex) }].</summary>
    public required string Documents { get; set; }

    /// <summary>SHA-256 over the length-prefixed hashes in order: what consumption compares, in the same UPDATE.</summary>
    public required byte[] HashesDigest { get; set; }

    /// <summary>The random nonce the challenge is derived from, with the key id and the hashes.</summary>
    public required byte[] Nonce { get; set; }

    /// <summary>The derived challenge (what a passkey signs, or what a TOTP page stands for).</summary>
    public required byte[] Challenge { get; set; }

    public required string State { get; set; }

    /// <summary>How the citizen activated: "passkey" or "totp"; null while prepared.</summary>
    public string? Method { get; set; }

    /// <summary>The agency (OAuth client id) that asked for the signature, if any.</summary>
    public string? ClientId { get; set; }

    /// <summary>The address the request came from.</summary>
    public string? ClientAddress { get; set; }

    /// <summary>The WebAuthn challenge row issued for this activation, when the citizen chose a passkey.</summary>
    public Guid? WebAuthnChallengeId { get; set; }

    /// <summary>SHA-256 of the secret half of a CSC SAD, when the activation was made through the CSC API.</summary>
    public byte[]? SadHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? ActivatedAt { get; set; }

    public DateTimeOffset? ConsumedAt { get; set; }
}

internal sealed class SignatureActivationConfiguration : IEntityTypeConfiguration<SignatureActivationRecord>
{
    public const string Schema = "signing";

    public void Configure(EntityTypeBuilder<SignatureActivationRecord> builder)
    {
        builder.ToTable("activations", Schema);
        builder.HasKey(a => a.Id);
        builder.Property(a => a.KeyId).HasMaxLength(64);
        builder.Property(a => a.CertificateIssuer).HasMaxLength(64);
        builder.Property(a => a.CertificateSerial).HasMaxLength(64);
        builder.Property(a => a.HashAlgorithm).HasMaxLength(64);
        builder.Property(a => a.Documents).HasColumnType("jsonb");
        builder.Property(a => a.State).HasMaxLength(16);
        builder.Property(a => a.Method).HasMaxLength(16);
        builder.Property(a => a.ClientId).HasMaxLength(100);
        builder.Property(a => a.ClientAddress).HasMaxLength(64);
        builder.HasIndex(a => new { a.AccountId, a.CreatedAt });
        builder.HasIndex(a => a.ExpiresAt);
    }
}
