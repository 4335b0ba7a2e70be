using System.Text.Json.Nodes;

namespace IdentityHub.Testing.Saml;

/// <summary>
/// Lasso (Entr'ouvert, Debian's python3-lasso, installed by `./hub test`) as a second, independent SAML 2.0 service
/// provider: tests/interop/lasso-sp.py run by Debian's /usr/bin/python3. Commands: metadata, login-request,
/// validate-response; the contract is in tests/interop/README.md.
/// </summary>
public static class LassoSp
{
    private const string Python = "/usr/bin/python3";

    public static Task<SamlSpAnswer> RunAsync(string command, JsonObject input)
    {
        if (!File.Exists("/usr/lib/python3/dist-packages/lasso.py"))
        {
            throw new InvalidOperationException("python3-lasso is not installed: apt-get install python3-lasso (./hub test does)");
        }

        var script = Path.Combine(BuiltAssemblies.RepositoryRoot, "tests", "interop", "lasso-sp.py");
        return InteropProcess.RunAsync("Lasso", Python, [script, command], input);
    }

    /// <summary>The SP configuration (<c>{"sp": …}</c>'s value); the IdP is described by <c>idpMetadata</c> in each command's input.</summary>
    public static JsonObject Sp(string entityId, string acsUrl, string spKeyPem, string spCertPem) => new()
    {
        ["entityId"] = entityId,
        ["callbackUrl"] = acsUrl,
        ["spPrivateKeyPem"] = spKeyPem,
        ["spCertPem"] = spCertPem,
        ["wantAssertionsSigned"] = true,
    };
}
