using System.Text.Json.Nodes;

namespace IdentityHub.Testing.Saml;

/// <summary>What one command of an interop service provider answered: its exit code and its one JSON object.</summary>
public sealed record SamlSpAnswer(string Peer, int ExitCode, JsonObject Body)
{
    /// <summary>The error code (<c>rejected</c>, <c>bad_input</c>, a harness check such as <c>recipient_mismatch</c>) or null on success.</summary>
    public string? Error => Body["error"]?.GetValue<string>();

    public string? Detail => Body["detail"]?.GetValue<string>();

    public JsonObject Ok() =>
        ExitCode == 0 ? Body : throw new InvalidOperationException($"{Peer} refused: {Body.ToJsonString()}");
}
