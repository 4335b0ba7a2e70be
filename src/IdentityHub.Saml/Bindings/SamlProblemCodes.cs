namespace IdentityHub.Saml.Bindings;

/// <summary>The stable <see cref="SamlProblem.Code"/> values of the inbound reader.</summary>
internal static class SamlProblemCodes
{
    public const string Dtd = "dtd";
    public const string TooLarge = "too-large";
    public const string NotDeflated = "not-deflated";
    public const string BadBase64 = "bad-base64";
    public const string Malformed = "malformed-xml";
    public const string MissingMessage = "missing-message";
    public const string DuplicateParameter = "duplicate-parameter";
    public const string UnsupportedEncoding = "unsupported-encoding";
    public const string RelayStateTooLong = "relay-state-too-long";
    public const string RelayStateInvalid = "relay-state-invalid";
    public const string MalformedForm = "malformed-form";
    public const string SignatureInRedirect = "signature-in-redirect";
    public const string IncompleteSignature = "incomplete-signature";
    public const string SignatureWrapping = "signature-wrapping";
    public const string BadSignature = "bad-signature";
    public const string UnsignedContent = "unsigned-content";
    public const string AlgorithmNotAllowed = "algorithm-not-allowed";
    public const string DuplicateId = "duplicate-id";
    public const string Unsigned = "unsigned";
    public const string Expired = "expired";
    public const string NotYetValid = "not-yet-valid";
    public const string Version = "version";
    public const string Schema = "schema";
    public const string Unsupported = "unsupported";
    public const string UnsupportedBinding = "unsupported-binding";
}
