using System.Text.Json;

namespace IdentityHub.Signing.Tests.Validation;

/// <summary>The shared corpus of signatures made by other tools, with DSS's expectations (../shared/testdata/signatures).</summary>
internal static class Corpus
{
    private static readonly Lazy<string> RootDirectory = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IdentityHub.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "testdata", "signatures"));
            }
        }

        throw new InvalidOperationException("IdentityHub.sln not found above " + AppContext.BaseDirectory);
    });

    private static readonly Lazy<JsonDocument> Manifest = new(() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, "MANIFEST.json"))));

    public static string Root => RootDirectory.Value;

    public static IEnumerable<JsonElement> Entries => Manifest.Value.RootElement.GetProperty("entries").EnumerateArray();

    public static JsonElement Entry(string file) => Entries.Single(e => e.GetProperty("file").GetString() == file);

    public static byte[] Read(string relative) => File.ReadAllBytes(Path.Combine(Root, relative));
}
