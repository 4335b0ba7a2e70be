using System.Buffers.Binary;
using System.Text;
using IdentityHub.Signing.Documents;

namespace IdentityHub.Signing.Containers;

/// <summary>One central-directory record (PKWARE APPNOTE.TXT §4.3.12): what the archive claims about an entry.</summary>
internal sealed record ZipDirectoryRecord(string Name, ushort Flags, ushort Method, uint Crc32, long CompressedSize, long UncompressedSize, long LocalHeaderOffset);

/// <summary>
/// Reads the end-of-central-directory record and the central directory of a zip, and nothing else: the entry count is
/// checked against the limit before any record is parsed, so a container claiming a million entries costs nothing.
/// Zip64, multi-disk archives and encrypted entries are refused: an ASiC container (EN 319 162-1) needs none of them.
/// </summary>
internal static class ZipDirectory
{
    private const uint EndOfCentralDirectorySignature = 0x06054b50;
    private const uint CentralDirectorySignature = 0x02014b50;
    private const int EndOfCentralDirectorySize = 22;
    private const int CentralDirectoryHeaderSize = 46;

    public static IReadOnlyList<ZipDirectoryRecord> Read(ReadOnlySpan<byte> zip, int maxEntries)
    {
        int eocd = FindEndOfCentralDirectory(zip);
        if (eocd < 0)
        {
            throw Refuse(DocumentProblems.NotContainer, "no zip end-of-central-directory record");
        }

        ushort disk = BinaryPrimitives.ReadUInt16LittleEndian(zip[(eocd + 4)..]);
        ushort cdDisk = BinaryPrimitives.ReadUInt16LittleEndian(zip[(eocd + 6)..]);
        ushort entriesOnDisk = BinaryPrimitives.ReadUInt16LittleEndian(zip[(eocd + 8)..]);
        ushort totalEntries = BinaryPrimitives.ReadUInt16LittleEndian(zip[(eocd + 10)..]);
        uint cdSize = BinaryPrimitives.ReadUInt32LittleEndian(zip[(eocd + 12)..]);
        uint cdOffset = BinaryPrimitives.ReadUInt32LittleEndian(zip[(eocd + 16)..]);

        // The count comes first: 0xFFFF means "see the Zip64 record", i.e. at least 65535 entries (APPNOTE §4.4.22).
        if (totalEntries > maxEntries)
        {
            throw Refuse(DocumentProblems.ZipBomb, $"the container declares {totalEntries} entries, more than the limit of {maxEntries}");
        }

        if (disk != 0 || cdDisk != 0 || entriesOnDisk != totalEntries || cdOffset == uint.MaxValue || cdSize == uint.MaxValue)
        {
            throw Refuse(DocumentProblems.NotContainer, "multi-disk or Zip64 archives are not ASiC containers");
        }

        if ((long)cdOffset + cdSize > eocd)
        {
            throw Refuse(DocumentProblems.NotContainer, "the central directory lies outside the archive");
        }

        var records = new List<ZipDirectoryRecord>(totalEntries);
        ReadOnlySpan<byte> directory = zip.Slice((int)cdOffset, (int)cdSize);
        int position = 0;
        for (int i = 0; i < totalEntries; i++)
        {
            if (position + CentralDirectoryHeaderSize > directory.Length
                || BinaryPrimitives.ReadUInt32LittleEndian(directory[position..]) != CentralDirectorySignature)
            {
                throw Refuse(DocumentProblems.NotContainer, "the central directory is truncated or damaged");
            }

            ReadOnlySpan<byte> header = directory[position..];
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
            ushort method = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
            uint compressed = BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
            uint uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(header[24..]);
            ushort nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
            ushort extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[30..]);
            ushort commentLength = BinaryPrimitives.ReadUInt16LittleEndian(header[32..]);
            uint localOffset = BinaryPrimitives.ReadUInt32LittleEndian(header[42..]);
            int recordLength = CentralDirectoryHeaderSize + nameLength + extraLength + commentLength;
            if (position + recordLength > directory.Length)
            {
                throw Refuse(DocumentProblems.NotContainer, "the central directory is truncated");
            }

            if (compressed == uint.MaxValue || uncompressed == uint.MaxValue || localOffset == uint.MaxValue)
            {
                throw Refuse(DocumentProblems.NotContainer, "Zip64 entries are not supported in an ASiC container");
            }

            string name = DecodeName(header.Slice(CentralDirectoryHeaderSize, nameLength));
            records.Add(new ZipDirectoryRecord(name, flags, method, crc, compressed, uncompressed, localOffset));
            position += recordLength;
        }

        return records;
    }

    /// <summary>The names alone, for recognising a container without reading it; null when the directory cannot be read.</summary>
    public static IReadOnlyList<string>? TryReadNames(ReadOnlySpan<byte> zip, int maxEntries)
    {
        try
        {
            return [.. Read(zip, maxEntries).Select(r => r.Name)];
        }
        catch (DocumentRejectedException)
        {
            return null;
        }
    }

    /// <summary>APPNOTE §4.3.16: the record sits at the end, followed by a comment of at most 65535 bytes.</summary>
    private static int FindEndOfCentralDirectory(ReadOnlySpan<byte> zip)
    {
        int lowest = Math.Max(0, zip.Length - EndOfCentralDirectorySize - ushort.MaxValue);
        for (int i = zip.Length - EndOfCentralDirectorySize; i >= lowest; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip[i..]) == EndOfCentralDirectorySignature
                && i + EndOfCentralDirectorySize + BinaryPrimitives.ReadUInt16LittleEndian(zip[(i + 20)..]) == zip.Length)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>APPNOTE §4.4.4 bit 11: UTF-8 names; otherwise CP437, read here as UTF-8 when valid and Latin-1 otherwise.</summary>
    private static string DecodeName(ReadOnlySpan<byte> raw)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(raw);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(raw);
        }
    }

    internal static DocumentRejectedException Refuse(string code, string message) => new(code, message);
}
