using System.Xml;
using IdentityHub.Saml.Bindings;

namespace IdentityHub.Saml.Validation;

/// <summary>
/// The outcome of <see cref="SignatureVerifier.Verify"/>: a verified message has <see cref="VerifiedRoot"/>, the only
/// element protocol readers may read; an unsigned one has neither root nor problem (the caller decides whether its SP must sign).
/// </summary>
internal sealed record SignatureCheck(bool Signed, XmlElement? VerifiedRoot, SamlProblem? Problem)
{
    public bool Succeeded => Problem is null;

    public static SignatureCheck Unsigned { get; } = new(false, null, null);

    public static SignatureCheck Refused(string code, string detail) => new(false, null, SamlProblem.Requester(code, detail));
}
