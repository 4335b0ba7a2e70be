using System.Text.Json.Nodes;

namespace IdentityHub.Testing.Saml;

/// <summary>
/// npm's @node-saml/node-saml as a SAML 2.0 service provider (tests/interop/saml-sp.mjs, installed by `./hub test` with
/// npm ci): each call runs one command with one JSON object in and one out, exactly as tests/interop/README.md describes.
/// Commands: metadata, login-request, validate-response, logout-request, validate-logout-response, validate-logout-request.
/// </summary>
public static class NodeSamlSp
{
    public const string Redirect = "HTTP-Redirect";
    public const string Post = "HTTP-POST";

    public static Task<SamlSpAnswer> RunAsync(string command, JsonObject input)
    {
        var root = BuiltAssemblies.RepositoryRoot;
        if (!Directory.Exists(Path.Combine(root, "tests", "interop", "node_modules", "@node-saml", "node-saml")))
        {
            throw new InvalidOperationException("@node-saml/node-saml is not installed: run `npm ci --prefix tests/interop` (./hub test does)");
        }

        return InteropProcess.RunAsync("node-saml", "node", [Path.Combine(root, "tests", "interop", "saml-sp.mjs"), command], input);
    }

    /// <summary>
    /// The SP configuration every command takes (<c>{"sp": …}</c>'s value) for the hub at <paramref name="hubBase"/>: its
    /// endpoints are <c>saml/sso</c> and <c>saml/slo</c> and its entity ID <c>saml/metadata</c> under the base (SamlOptions'
    /// default); change any field with <see cref="With"/>.
    /// </summary>
    public static JsonObject Sp(Uri hubBase, string entityId, string acsUrl, string idpCertPem, string spKeyPem, string spCertPem, string binding = Redirect)
    {
        ArgumentNullException.ThrowIfNull(hubBase);
        if (binding is not (Redirect or Post))
        {
            throw new ArgumentException($"binding must be {Redirect} or {Post}", nameof(binding));
        }

        return new JsonObject
        {
            ["entityId"] = entityId,
            ["callbackUrl"] = acsUrl,
            ["idpSsoUrl"] = new Uri(hubBase, "saml/sso").ToString(),
            ["idpSloUrl"] = new Uri(hubBase, "saml/slo").ToString(),
            ["idpEntityId"] = new Uri(hubBase, "saml/metadata").ToString(),
            ["idpCertPem"] = idpCertPem,
            ["spPrivateKeyPem"] = spKeyPem,
            ["spCertPem"] = spCertPem,
            ["authnRequestBinding"] = binding,
            ["signatureAlgorithm"] = "sha256",
            ["digestAlgorithm"] = "sha256",
            ["wantAssertionsSigned"] = true,
            ["wantAuthnResponseSigned"] = true,
        };
    }

    /// <summary>A command's input: <c>{"sp": sp, …fields}</c>.</summary>
    public static JsonObject Input(JsonObject sp, params (string Key, JsonNode? Value)[] fields)
    {
        ArgumentNullException.ThrowIfNull(sp);
        var input = new JsonObject { ["sp"] = sp.DeepClone() };
        return input.With(fields);
    }

    /// <summary>A copy of <paramref name="config"/> with <paramref name="fields"/> set (a null value removes nothing; it sets JSON null).</summary>
    public static JsonObject With(this JsonObject config, params (string Key, JsonNode? Value)[] fields)
    {
        ArgumentNullException.ThrowIfNull(config);
        var copy = (JsonObject)config.DeepClone();
        foreach (var (key, value) in fields)
        {
            copy[key] = value?.DeepClone();
        }

        return copy;
    }

    /// <summary>The IDs a list of login-request/logout-request answers returned, as <c>requestIds</c> for the validate commands.</summary>
    public static JsonArray RequestIds(params string[] ids) => [.. ids.Select(id => (JsonNode?)JsonValue.Create(id))];
}
