using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using IdentityHub.Signing.Documents;

namespace IdentityHub.Signing.Containers;

/// <summary>
/// Reads an ASiC container (EN 319 162-1: a zip) that may be hostile. Limits from <see cref="SigningOptions"/> are applied
/// three times: the entry count from the end-of-central-directory record before anything else, the declared sizes and
/// compression ratios before anything is inflated, and the real inflated size while inflating (a bomb's headers lie), where
/// reading stops one byte past the declared size. Entry names that could escape a directory, or that repeat, are refused.
/// </summary>
internal static class SafeZipReader
{
    private const uint LocalHeaderSignature = 0x04034b50;
    private const int LocalHeaderSize = 30;
    private const ushort MethodStored = 0;
    private const ushort MethodDeflate = 8;
    private const ushort FlagEncrypted = 0x0001;

    public static ZipContainer Read(ReadOnlyMemory<byte> zip, SigningOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        IReadOnlyList<ZipDirectoryRecord> records = ZipDirectory.Read(zip.Span, limits.MaxContainerEntries);
        CheckNames(records);
        CheckDeclaredSizes(records, limits);
        CheckLayout(records, zip.Length);

        var entries = new List<ZipContainerEntry>(records.Count);
        foreach (ZipDirectoryRecord record in records)
        {
            entries.Add(new ZipContainerEntry(record.Name, record.Method == MethodStored, ReadEntry(zip, record)));
        }

        return new ZipContainer(entries);
    }

    /// <summary>
    /// Names are refused when a naive extractor could write outside its folder or two entries could be confused:
    /// "..", absolute paths, drive letters, backslashes, control characters, empty segments, and names that repeat
    /// (compared ignoring case, as a case-insensitive file system would).
    /// </summary>
    private static void CheckNames(IReadOnlyList<ZipDirectoryRecord> records)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (ZipDirectoryRecord record in records)
        {
            string name = record.Name;
            string body = name.EndsWith('/') ? name[..^1] : name;
            bool unsafeName = body.Length == 0
                || name.StartsWith('/')
                || name.Contains('\\', StringComparison.Ordinal)
                || name.Contains(':', StringComparison.Ordinal)
                || name.Any(char.IsControl)
                || body.Split('/').Any(segment => segment is "" or "." or "..");
            if (unsafeName)
            {
                throw ZipDirectory.Refuse(DocumentProblems.UnsafeEntryName, $"unsafe entry name \"{Printable(name)}\"");
            }

            if (!seen.Add(name))
            {
                throw ZipDirectory.Refuse(DocumentProblems.UnsafeEntryName, $"entry \"{Printable(name)}\" appears more than once");
            }
        }
    }

    private static void CheckDeclaredSizes(IReadOnlyList<ZipDirectoryRecord> records, SigningOptions limits)
    {
        long total = 0;
        foreach (ZipDirectoryRecord record in records)
        {
            if ((record.Flags & FlagEncrypted) != 0 || record.Method is not (MethodStored or MethodDeflate))
            {
                throw ZipDirectory.Refuse(DocumentProblems.NotContainer, $"entry \"{Printable(record.Name)}\" is encrypted or uses compression method {record.Method}");
            }

            if (record.Method == MethodStored && record.CompressedSize != record.UncompressedSize)
            {
                throw ZipDirectory.Refuse(DocumentProblems.NotContainer, $"stored entry \"{Printable(record.Name)}\" has two different sizes");
            }

            total += record.UncompressedSize;
            if (total > limits.MaxContainerExpandedBytes)
            {
                throw ZipDirectory.Refuse(DocumentProblems.ZipBomb, $"the container expands to more than {limits.MaxContainerExpandedBytes} bytes");
            }

            if (record.UncompressedSize > (long)limits.MaxCompressionRatio * Math.Max(record.CompressedSize, 1))
            {
                throw ZipDirectory.Refuse(DocumentProblems.ZipBomb, $"entry \"{Printable(record.Name)}\" has a compression ratio above {limits.MaxCompressionRatio}");
            }
        }
    }

    /// <summary>Each entry's data must lie inside the archive and before the next one: overlapping entries are a known bomb.</summary>
    private static void CheckLayout(IReadOnlyList<ZipDirectoryRecord> records, int length)
    {
        long previousEnd = 0;
        foreach (ZipDirectoryRecord record in records.OrderBy(r => r.LocalHeaderOffset))
        {
            if (record.LocalHeaderOffset < previousEnd)
            {
                throw ZipDirectory.Refuse(DocumentProblems.ZipBomb, "entries overlap inside the archive");
            }

            // The local name and extra field lengths are read later; the fixed header and the data must fit at least.
            previousEnd = record.LocalHeaderOffset + LocalHeaderSize + record.CompressedSize;
            if (previousEnd > length)
            {
                throw ZipDirectory.Refuse(DocumentProblems.NotContainer, $"entry \"{Printable(record.Name)}\" lies outside the archive");
            }
        }
    }

    private static ReadOnlyMemory<byte> ReadEntry(ReadOnlyMemory<byte> zip, ZipDirectoryRecord record)
    {
        ReadOnlySpan<byte> span = zip.Span;
        int offset = (int)record.LocalHeaderOffset;
        if (BinaryPrimitives.ReadUInt32LittleEndian(span[offset..]) != LocalHeaderSignature)
        {
            throw ZipDirectory.Refuse(DocumentProblems.NotContainer, $"entry \"{Printable(record.Name)}\" has no local header");
        }

        ushort method = BinaryPrimitives.ReadUInt16LittleEndian(span[(offset + 8)..]);
        ushort nameLength = BinaryPrimitives.ReadUInt16LittleEndian(span[(offset + 26)..]);
        ushort extraLength = BinaryPrimitives.ReadUInt16LittleEndian(span[(offset + 28)..]);
        long dataStart = (long)offset + LocalHeaderSize + nameLength + extraLength;
        if (dataStart + record.CompressedSize > zip.Length)
        {
            throw ZipDirectory.Refuse(DocumentProblems.NotContainer, $"entry \"{Printable(record.Name)}\" lies outside the archive");
        }

        // The local header must describe the same entry as the central directory, or two readers would see two containers.
        string localName = System.Text.Encoding.UTF8.GetString(span.Slice(offset + LocalHeaderSize, nameLength));
        if (method != record.Method || !string.Equals(localName, record.Name, StringComparison.Ordinal))
        {
            throw ZipDirectory.Refuse(DocumentProblems.NotContainer, $"entry \"{Printable(record.Name)}\" differs between its local header and the central directory");
        }

        ReadOnlyMemory<byte> data = zip.Slice((int)dataStart, (int)record.CompressedSize);
        byte[] content = record.Method == MethodStored ? data.ToArray() : Inflate(data, record);
        if (Crc32.Compute(content) != record.Crc32)
        {
            throw ZipDirectory.Refuse(DocumentProblems.NotContainer, $"entry \"{Printable(record.Name)}\" fails its CRC-32 check");
        }

        return content;
    }

    /// <summary>Inflates into a buffer of the declared size (already within the limits) and refuses any byte beyond it.</summary>
    private static byte[] Inflate(ReadOnlyMemory<byte> data, ZipDirectoryRecord record)
    {
        byte[] compressed = MemoryMarshal.TryGetArray(data, out ArraySegment<byte> segment) && segment.Array is not null
            ? segment.Array
            : data.ToArray();
        int start = segment.Array is not null ? segment.Offset : 0;
        var output = new byte[record.UncompressedSize];
        try
        {
            using var source = new MemoryStream(compressed, start, data.Length, writable: false);
            using var inflater = new DeflateStream(source, CompressionMode.Decompress);
            int filled = 0;
            while (filled < output.Length)
            {
                int read = inflater.Read(output, filled, output.Length - filled);
                if (read == 0)
                {
                    throw ZipDirectory.Refuse(DocumentProblems.NotContainer, $"entry \"{Printable(record.Name)}\" is shorter than declared");
                }

                filled += read;
            }

            Span<byte> probe = stackalloc byte[1];
            if (inflater.Read(probe) != 0)
            {
                throw ZipDirectory.Refuse(DocumentProblems.ZipBomb, $"entry \"{Printable(record.Name)}\" inflates beyond its declared size of {record.UncompressedSize} bytes");
            }
        }
        catch (InvalidDataException ex)
        {
            throw new DocumentRejectedException(DocumentProblems.NotContainer, $"entry \"{Printable(record.Name)}\" is not valid deflate data", ex);
        }

        return output;
    }

    private static string Printable(string name)
    {
        string cleaned = new([.. name.Take(120).Select(c => char.IsControl(c) ? '?' : c)]);
        return name.Length > 120 ? cleaned + "…" : cleaned;
    }
}
