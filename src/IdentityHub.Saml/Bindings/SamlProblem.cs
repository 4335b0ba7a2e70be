using IdentityHub.Core.Audit;

namespace IdentityHub.Saml.Bindings;

/// <summary>
/// Why an inbound SAML message was refused, as a value the endpoint turns into a SAML error response
/// (saml-core-2.0-os §3.2.2.2). <see cref="StatusCode"/> is the top-level status (Requester, Responder or
/// VersionMismatch); <see cref="SecondLevelStatusCode"/> is set where the spec defines a fitting second-level code
/// (RequestUnsupported, UnsupportedBinding). <see cref="Detail"/> is safe to log and never holds message content.
/// </summary>
internal sealed record SamlProblem(string StatusCode, string Code, string Detail)
{
    /// <summary>A second-level status code (saml-core-2.0-os §3.2.2.2) nested under <see cref="StatusCode"/>, if any.</summary>
    public string? SecondLevelStatusCode { get; init; }

    public static SamlProblem Requester(string code, string detail) => new(Saml.SamlStatus.Requester, code, detail);

    public static SamlProblem Unsupported(string code, string detail) =>
        new(Saml.SamlStatus.Requester, code, detail) { SecondLevelStatusCode = Saml.SamlStatus.RequestUnsupported };

    /// <summary>
    /// The audit event of this refusal (<paramref name="type"/>: saml.request.refused or saml.logout.refused): the actor
    /// is anonymous (the message's signer is not trusted yet), the subject the SP's entityID as far as it is known.
    /// </summary>
    public AuditEvent Audited(string type, string? sp, params (string Key, string Value)[] more)
    {
        var details = new Dictionary<string, string>
        {
            ["code"] = Code,
            ["status"] = StatusCode,
            ["detail"] = Detail.Length > 300 ? Detail[..300] : Detail,
        };
        foreach (var (key, value) in more)
        {
            details[key] = value;
        }

        return new AuditEvent(type, "anonymous", sp ?? "unknown", details);
    }
}
