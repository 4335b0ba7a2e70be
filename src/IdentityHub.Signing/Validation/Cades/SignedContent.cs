namespace IdentityHub.Signing.Validation.Cades;

/// <summary>
/// The bytes a CMS signature covers, as segments (a PDF ByteRange is two pieces of the file) so digests stream over
/// them without copying; null segments mean the content was not supplied (a detached signature without its original).
/// </summary>
internal sealed record SignedContent(IReadOnlyList<ReadOnlyMemory<byte>>? Segments, string? MissingReason = null)
{
    public static SignedContent Of(ReadOnlyMemory<byte> bytes) => new([bytes]);

    public static SignedContent Missing(string reason) => new(null, reason);

    public long Length => Segments?.Sum(s => (long)s.Length) ?? 0;

    public byte[] ToArray()
    {
        var all = new byte[Length];
        var offset = 0;
        foreach (var segment in Segments ?? [])
        {
            segment.Span.CopyTo(all.AsSpan(offset));
            offset += segment.Length;
        }

        return all;
    }
}
