using System.Xml;

namespace IdentityHub.Saml.Bindings;

/// <summary>A SAML protocol message as received, parsed safely but not yet verified (see Validation.SignatureVerifier).</summary>
internal sealed record ReceivedMessage(string Binding, XmlDocument Document, XmlElement Root, string? RelayState, RedirectSignature? QuerySignature);
