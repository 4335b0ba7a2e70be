using System.Buffers.Binary;

namespace IdentityHub.Authentication.Passkeys;

/// <summary>
/// The authenticator data of WebAuthn Level 3 §6.1: rpIdHash (32 bytes), flags (1), signCount (4, big-endian), then, when
/// the AT flag is set, the attested credential data (§6.5.2): AAGUID (16), credential id length (2) and id, and the
/// credential public key (COSE, CBOR). Parsed here for what Identity's handler does not hand back: the flags of an
/// assertion, the counter for the regression check, and the AAGUID.
/// </summary>
internal sealed record AuthenticatorData(byte[] RpIdHash, byte Flags, uint SignCount, Guid Aaguid, byte[]? CredentialId, ReadOnlyMemory<byte> CredentialPublicKey)
{
    public const byte UserPresent = 0x01;
    public const byte UserVerified = 0x04;
    public const byte BackupEligible = 0x08;
    public const byte BackedUp = 0x10;
    public const byte AttestedCredentialData = 0x40;

    public bool IsUserPresent => (Flags & UserPresent) != 0;

    public bool IsUserVerified => (Flags & UserVerified) != 0;

    public bool IsBackupEligible => (Flags & BackupEligible) != 0;

    public bool IsBackedUp => (Flags & BackedUp) != 0;

    /// <summary>Parses authenticator data; null when it is too short or its lengths do not add up.</summary>
    public static AuthenticatorData? TryParse(ReadOnlyMemory<byte> data)
    {
        var span = data.Span;
        if (span.Length < 37)
        {
            return null;
        }

        var flags = span[32];
        var signCount = BinaryPrimitives.ReadUInt32BigEndian(span[33..37]);
        if ((flags & AttestedCredentialData) == 0)
        {
            return new AuthenticatorData(span[..32].ToArray(), flags, signCount, Guid.Empty, null, ReadOnlyMemory<byte>.Empty);
        }

        if (span.Length < 55)
        {
            return null;
        }

        var aaguid = new Guid(span[37..53], bigEndian: true);
        var idLength = BinaryPrimitives.ReadUInt16BigEndian(span[53..55]);
        if (idLength > 1023 || span.Length < 55 + idLength + 1)
        {
            return null;
        }

        var credentialId = span.Slice(55, idLength).ToArray();
        var keyStart = 55 + idLength;
        var keyLength = CoseKey.EncodedLength(data[keyStart..]);
        return keyLength is null
            ? null
            : new AuthenticatorData(span[..32].ToArray(), flags, signCount, aaguid, credentialId, data.Slice(keyStart, keyLength.Value));
    }
}
