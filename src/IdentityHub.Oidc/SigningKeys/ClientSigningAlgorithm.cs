using System.Text.Json;
using OpenIddict.Abstractions;

namespace IdentityHub.Oidc.SigningKeys;

/// <summary>The ID token algorithm a client registered (descriptor property "signing_alg"); ES256 when it has none.</summary>
public static class ClientSigningAlgorithm
{
    public const string Property = "signing_alg";

    public static async ValueTask<string> OfAsync(IOpenIddictApplicationManager applications, object application, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(applications);
        var properties = await applications.GetPropertiesAsync(application, ct);
        return properties.TryGetValue(Property, out var value) && value.ValueKind == JsonValueKind.String
            && OidcSigningAlgorithms.All.Contains(value.GetString()!) ? value.GetString()! : OidcSigningAlgorithms.Default;
    }

    /// <summary>The problem with a requested algorithm, or null (null itself means the default).</summary>
    public static string? Problem(string? algorithm) =>
        algorithm is null || OidcSigningAlgorithms.All.Contains(algorithm, StringComparer.Ordinal)
            ? null
            : $"Unknown ID token signing algorithm '{algorithm}'; the hub signs with {string.Join(", ", OidcSigningAlgorithms.All)}.";
}
