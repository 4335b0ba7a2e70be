using System.Text.Json;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Validation;

namespace IdentityHub.Signing.Tests.XmlValidation;

/// <summary>
/// The shared corpus of signatures made by other tools (../shared/testdata/signatures beside the repository), with
/// DSS's expectations from MANIFEST.json.
/// </summary>
internal static class SignatureCorpus
{
    private static readonly Lazy<string> RootPath = new(FindRoot);
    private static readonly Lazy<JsonDocument> Manifest = new(() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RootPath.Value, "MANIFEST.json"))));

    public static string Root => RootPath.Value;

    public static JsonElement Entry(string file) =>
        Manifest.Value.RootElement.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("file").GetString() == file);

    /// <summary>The files of the given formats, for a Theory's data.</summary>
    public static TheoryData<string> Files(params string[] formats)
    {
        var data = new TheoryData<string>();
        foreach (JsonElement entry in Manifest.Value.RootElement.GetProperty("entries").EnumerateArray())
        {
            if (formats.Contains(entry.GetProperty("format").GetString()))
            {
                data.Add(entry.GetProperty("file").GetString()!);
            }
        }

        return data;
    }

    public static byte[] Read(string file) => File.ReadAllBytes(Path.Combine(Root, file));

    /// <summary>The input as the validation service receives it: the signed file plus the detached original the manifest names.</summary>
    public static ValidationInput Input(string file)
    {
        JsonElement entry = Entry(file);
        List<SignedFile> detached = [];
        if (entry.GetProperty("original").GetString() is { } original)
        {
            detached.Add(new SignedFile(Path.GetFileName(original), "application/octet-stream", Read(original)));
        }

        return new ValidationInput(Path.GetFileName(file), Read(file), detached);
    }

    public static bool? Expected(string file, string property)
    {
        JsonElement value = Entry(file).GetProperty("expected").GetProperty(property);
        return value.ValueKind == JsonValueKind.Null ? null : value.GetBoolean();
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "IdentityHub.sln")))
            {
                return Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "testdata", "signatures"));
            }
        }

        throw new InvalidOperationException("IdentityHub.sln not found above " + AppContext.BaseDirectory);
    }
}
