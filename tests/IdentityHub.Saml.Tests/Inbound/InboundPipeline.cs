using System.Xml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Validation;

namespace IdentityHub.Saml.Tests.Inbound;

/// <summary>The endpoint's path in one call: read by HTTP-POST, then verify with the SP's certificates.</summary>
internal static class InboundPipeline
{
    /// <summary>The first problem met (reading, then verifying), or the verified root.</summary>
    public static (XmlElement? VerifiedRoot, SamlProblem? Problem) PostAndVerify(XmlDocument document, IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2>? trusted = null)
    {
        SamlReadResult read = MessageEncoder.ReadPost(document);
        if (!read.Succeeded)
        {
            return (null, read.Problem);
        }

        SignatureCheck check = SignatureVerifier.Verify(read.Message!, trusted ?? TestKeys.SpCertificates);
        return (check.VerifiedRoot, check.Problem);
    }
}
