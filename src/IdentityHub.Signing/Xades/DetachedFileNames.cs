using IdentityHub.Signing.Documents;

namespace IdentityHub.Signing.Xades;

/// <summary>
/// Which names files signed detached may have. Each becomes a relative URI reference (XMLDSig §4.3.3.1) that a verifier
/// resolves beside the signature, or an ASiC entry name, so a name must be a relative path with "/" separators that
/// cannot climb out of that directory, and unique even on a case-insensitive file system. An empty name would turn
/// into URI="", the signature's own document (XMLDSig §4.3.3.3), so it is refused too.
/// </summary>
internal static class DetachedFileNames
{
    /// <summary>Checks every name; <paramref name="reserved"/> adds rules of a container (e.g. its own entries).</summary>
    public static void Check(IReadOnlyList<SignedFile> files, Func<string, string?>? reserved = null)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            if ((Problem(file.Name) ?? reserved?.Invoke(file.Name)) is { } problem)
            {
                throw new DocumentRejectedException(DocumentProblems.UnsafeEntryName, $"The file name '{Printable(file.Name)}' cannot be signed: {problem}.");
            }

            if (!seen.Add(file.Name))
            {
                throw new DocumentRejectedException(DocumentProblems.UnsafeEntryName, $"The file name '{Printable(file.Name)}' is given twice.");
            }
        }
    }

    private static string? Problem(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 255)
        {
            return "a name has 1 to 255 characters";
        }

        if (name.Any(char.IsControl) || name.Contains('\\', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal))
        {
            return "control characters, backslashes and colons (drive letters, URI schemes) are not allowed";
        }

        if (name.StartsWith('/'))
        {
            return "absolute paths are not allowed";
        }

        return name.Split('/').Any(segment => segment is "" or "." or "..") ? "empty, '.' and '..' path segments are not allowed" : null;
    }

    private static string Printable(string name) => new([.. name.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);
}
