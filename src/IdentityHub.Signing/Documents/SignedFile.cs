namespace IdentityHub.Signing.Documents;

/// <summary>A file as it is signed or validated: its name (a zip entry name or a URI in a detached signature), its media type and its bytes.</summary>
public sealed record SignedFile(string Name, string MimeType, ReadOnlyMemory<byte> Content);
