using System.Text.Json;
using System.Text.Json.Serialization;

namespace IdentityHub.Signing.Activation;

/// <summary>The documents of an activation as stored in its row (jsonb): name, size and the hash in hex, in order.</summary>
internal static class ActivationDocuments
{
    public static string Write(IReadOnlyList<DocumentToSign> documents) =>
        JsonSerializer.Serialize(documents.Select(d => new StoredDocument(d.Name, d.Size, Convert.ToHexStringLower(d.Hash))).ToList());

    public static IReadOnlyList<DocumentToSign> Read(string json) =>
        (JsonSerializer.Deserialize<List<StoredDocument>>(json) ?? [])
            .Select(d => new DocumentToSign(d.Name, d.Size, Convert.FromHexString(d.Hash))).ToList();

    private sealed record StoredDocument(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("size")] long Size,
        [property: JsonPropertyName("hash")] string Hash);
}
