namespace IdentityHub.Signing.Containers;

/// <summary>One file of a container, inflated and CRC-checked, with how it was stored.</summary>
internal sealed record ZipContainerEntry(string Name, bool Stored, ReadOnlyMemory<byte> Content)
{
    /// <summary>Directory entries ("folder/") carry no content and are not signed objects.</summary>
    public bool IsDirectory => Name.EndsWith('/');
}

/// <summary>
/// A zip read by <see cref="SafeZipReader"/>: its entries in central-directory order, and what EN 319 162-1 §A.1 asks of
/// the "mimetype" entry (first in the archive, stored uncompressed, holding the container's media type).
/// </summary>
internal sealed record ZipContainer(IReadOnlyList<ZipContainerEntry> Entries)
{
    public const string MimetypeEntryName = "mimetype";

    public ZipContainerEntry? Find(string name) => Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal));

    /// <summary>Whether a "mimetype" entry exists at all.</summary>
    public bool HasMimetype => Find(MimetypeEntryName) is not null;

    /// <summary>"mimetype" is the first entry of the archive (EN 319 162-1 §A.1: so the type can be read at a fixed offset).</summary>
    public bool MimetypeFirst => Entries.Count > 0 && string.Equals(Entries[0].Name, MimetypeEntryName, StringComparison.Ordinal);

    /// <summary>"mimetype" is stored, not deflated (EN 319 162-1 §A.1).</summary>
    public bool MimetypeStored => Find(MimetypeEntryName)?.Stored ?? false;

    /// <summary>The media type the "mimetype" entry declares (ASCII), or null without one.</summary>
    public string? Mimetype => Find(MimetypeEntryName) is { } entry ? System.Text.Encoding.ASCII.GetString(entry.Content.Span).Trim() : null;
}
