using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace IdentityHub.Data.Audit;

/// <summary>
/// The chain rule: Hash = SHA-256 over the row's sequence, time, type, actor, subject, details and the previous row's hash,
/// each length-prefixed so no two different rows encode alike. Row 1's previous hash is 32 zero bytes.
/// </summary>
public static class AuditChain
{
    public static readonly byte[] Genesis = new byte[32];

    public static byte[] HashOf(AuditRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        using var buffer = new MemoryStream();
        void Field(string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            buffer.Write(BitConverter.GetBytes(bytes.Length));
            buffer.Write(bytes);
        }

        Field(row.Sequence.ToString(CultureInfo.InvariantCulture));
        Field(row.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture));
        Field(row.Type);
        Field(row.Actor);
        Field(row.Subject);
        Field(row.Details);
        buffer.Write(row.PreviousHash);
        return SHA256.HashData(buffer.ToArray());
    }

    /// <summary>Details as JSON with keys in ordinal order, so the same details always hash alike.</summary>
    public static string CanonicalDetails(IReadOnlyDictionary<string, string>? details) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(
            (details ?? new Dictionary<string, string>()).ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal), StringComparer.Ordinal));
}
