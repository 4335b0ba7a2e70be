namespace IdentityHub.Saml.Bindings;

/// <summary>
/// The detached signature of an HTTP-Redirect message (saml-bindings-2.0-os §3.4.4.1): the SigAlg URI, the decoded
/// Signature value and the octets it covers, taken from the query exactly as received.
/// </summary>
internal sealed record RedirectSignature(string SigAlg, byte[] Signature, byte[] SignedOctets);
