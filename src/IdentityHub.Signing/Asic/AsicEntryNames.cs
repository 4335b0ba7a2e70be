using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Xades;

namespace IdentityHub.Signing.Asic;

/// <summary>
/// Which file names may become entries of an ASiC-E container (ETSI EN 319 162-1 §4.4.3, PKWARE APPNOTE §4.4.17): the
/// rules for any detached file, and none of the container's own names ("mimetype", anything under META-INF/).
/// </summary>
internal static class AsicEntryNames
{
    public static void Check(IReadOnlyList<SignedFile> files) => DetachedFileNames.Check(files, Reserved);

    // EN 319 162-1 §4.4.2/§4.4.3: "mimetype" is the container's first entry and META-INF/ holds its signatures.
    private static string? Reserved(string name) =>
        name.Equals("mimetype", StringComparison.OrdinalIgnoreCase) || name.StartsWith("META-INF/", StringComparison.OrdinalIgnoreCase)
            ? "'mimetype' and META-INF/ belong to the container"
            : null;
}
