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
}
