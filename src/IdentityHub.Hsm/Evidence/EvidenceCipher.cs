using IdentityHub.Hsm.Tokens;

namespace IdentityHub.Hsm;

/// <summary>
/// Encrypts enrolment evidence (face photos) for storage in PostgreSQL with AES-256-GCM inside the HSM, under a token
/// key labelled "evidence-encryption" that is sensitive and never extractable: a database dump alone holds no photo.
/// The format, key choice and key creation are <see cref="TokenAesGcm"/>'s (shared with the Data Protection key ring).
/// </summary>
public sealed class EvidenceCipher
{
    public const string KeyLabel = "evidence-encryption";

    private readonly TokenAesGcm _cipher;

    public EvidenceCipher(HsmKeyStore store) => _cipher = new TokenAesGcm(store, KeyLabel, "evidence");

    public byte[] Encrypt(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData) => _cipher.Encrypt(plaintext, associatedData);

    public byte[] Decrypt(ReadOnlySpan<byte> sealedValue, ReadOnlySpan<byte> associatedData) => _cipher.Decrypt(sealedValue, associatedData);
}
