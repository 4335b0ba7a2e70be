using System.Security.Cryptography;
using Org.BouncyCastle.Math;

namespace IdentityHub.Pki;

/// <summary>
/// Serial numbers of certificates and time-stamp tokens: 16 octets from the OS CSPRNG with the top two bits set to 01
/// (positive, and always 16 octets long), so 126 random bits
/// (CA/Browser Forum BR §7.1 asks for at least 64 bits of CSPRNG output; RFC 5280 §4.1.2.2 caps serials at 20 octets).
/// </summary>
internal static class SerialNumbers
{
    public static BigInteger NewSerial()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        bytes[0] &= 0x7F;
        bytes[0] |= 0x40; // fixed length, so serials never shrink below 16 octets
        return new BigInteger(1, bytes.ToArray());
    }

    /// <summary>Canonical text form stored in the registry: lower-case hex, no leading zeros.</summary>
    public static string ToHex(BigInteger serial) => serial.ToString(16).ToLowerInvariant();

    /// <summary>Parses operator input (hex, optional 0x, colons or spaces allowed) into the canonical form.</summary>
    public static string Normalise(string serial)
    {
        var cleaned = new string(serial.Where(c => !char.IsWhiteSpace(c) && c != ':').ToArray());
        if (cleaned.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            cleaned = cleaned[2..];
        }

        if (cleaned.Length == 0 || cleaned.Length > 40 || !cleaned.All(Uri.IsHexDigit))
        {
            throw new FormatException("A serial number is hexadecimal, at most 20 octets.");
        }

        return ToHex(new BigInteger(cleaned, 16));
    }
}
