using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using IdentityHub.Signing.Containers;

namespace IdentityHub.Signing.Tests.Containers;

/// <summary>
/// Writes zips byte by byte so tests can make the headers lie (a declared size smaller than the real one, overlapping
/// entries, a bad CRC), which no zip library will produce.
/// </summary>
internal sealed class TestZip
{
    private readonly List<Entry> _entries = [];

    public TestZip Add(string name, byte[] content, bool deflate = true, long? declaredSize = null, uint? crc = null, int? pointAtEntry = null)
    {
        _entries.Add(new Entry(name, content, deflate, declaredSize, crc, pointAtEntry));
        return this;
    }

    public TestZip Add(string name, string content, bool deflate = true) => Add(name, Encoding.UTF8.GetBytes(content), deflate);

    public byte[] Build()
    {
        using var output = new MemoryStream();
        var offsets = new List<long>();
        var stored = new List<byte[]>();
        foreach (Entry entry in _entries)
        {
            byte[] data = entry.Deflate ? Deflate(entry.Content) : entry.Content;
            stored.Add(data);
            if (entry.PointAtEntry is int other)
            {
                offsets.Add(offsets[other]);
                continue;
            }

            offsets.Add(output.Position);
            WriteHeader(output, entry, data, central: false, 0);
            output.Write(data);
        }

        long directory = output.Position;
        for (int i = 0; i < _entries.Count; i++)
        {
            Entry entry = _entries[i];
            byte[] data = entry.PointAtEntry is int other ? stored[other] : stored[i];
            WriteHeader(output, entry with { Deflate = entry.PointAtEntry is int o ? _entries[o].Deflate : entry.Deflate }, data, central: true, offsets[i]);
        }

        long size = output.Position - directory;
        Span<byte> end = stackalloc byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)_entries.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)_entries.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], (uint)directory);
        output.Write(end);
        return output.ToArray();
    }

    private static void WriteHeader(Stream output, Entry entry, byte[] data, bool central, long offset)
    {
        byte[] name = Encoding.UTF8.GetBytes(entry.Name);
        uint crc = entry.Crc ?? Crc32.Compute(entry.Content);
        var header = new byte[central ? 46 : 30];
        Span<byte> h = header;
        BinaryPrimitives.WriteUInt32LittleEndian(h, central ? 0x02014b50u : 0x04034b50u);
        int shift = central ? 2 : 0;
        BinaryPrimitives.WriteUInt16LittleEndian(h[(4 + shift)..], 20);
        BinaryPrimitives.WriteUInt16LittleEndian(h[(6 + shift)..], 0x0800);
        BinaryPrimitives.WriteUInt16LittleEndian(h[(8 + shift)..], (ushort)(entry.Deflate ? 8 : 0));
        BinaryPrimitives.WriteUInt32LittleEndian(h[(14 + shift)..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(h[(18 + shift)..], (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(h[(22 + shift)..], (uint)(entry.DeclaredSize ?? entry.Content.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(h[(26 + shift)..], (ushort)name.Length);
        if (central)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(h[42..], (uint)offset);
        }

        output.Write(header);
        output.Write(name);
    }

    private static byte[] Deflate(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(content);
        }

        return buffer.ToArray();
    }

    private sealed record Entry(string Name, byte[] Content, bool Deflate, long? DeclaredSize, uint? Crc, int? PointAtEntry);
}
