using IdentityHub.Signing.Documents;

namespace IdentityHub.Signing.Asic;

/// <summary>
/// Which file names may become entries of an ASiC-E container (ETSI EN 319 162-1 §4.4.3, the ZIP application note
/// §4.4.17): relative paths with "/" separators that cannot climb out of the extraction directory, do not collide with
/// each other on a case-insensitive file system, and do not take the container's own names (mimetype, META-INF/).
/// </summary>
internal static class AsicEntryNames
{
    public static void Check(IReadOnlyList<SignedFile> files)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            if (Problem(file.Name) is { } problem)
            {
                throw new DocumentRejectedException(DocumentProblems.UnsafeEntryName, $"The file name '{Printable(file.Name)}' cannot be a container entry: {problem}.");
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
            return "control characters, backslashes and colons (drive letters) are not allowed";
        }

        if (name.StartsWith('/'))
        {
            return "absolute paths are not allowed";
        }

        if (name.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            return "empty, '.' and '..' path segments are not allowed";
        }

        // EN 319 162-1 §4.4.2/§4.4.3: "mimetype" is the container's first entry and META-INF/ holds its signatures.
        if (name.Equals("mimetype", StringComparison.OrdinalIgnoreCase) || name.StartsWith("META-INF/", StringComparison.OrdinalIgnoreCase))
        {
            return "'mimetype' and META-INF/ belong to the container";
        }

        return null;
    }

    private static string Printable(string name) => new([.. name.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);
}
