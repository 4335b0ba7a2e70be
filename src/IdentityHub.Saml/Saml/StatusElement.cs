using System.Xml;

namespace IdentityHub.Saml.Saml;

/// <summary>saml-core-2.0-os §3.2.2.1 Status: a top-level StatusCode, optionally one nested second-level code, and a StatusMessage.</summary>
internal static class StatusElement
{
    public static void Append(XmlElement response, string statusCode, string? secondLevelStatusCode, string? statusMessage)
    {
        ArgumentException.ThrowIfNullOrEmpty(statusCode);
        var status = SamlXml.AppendSamlp(response, "Status");
        var code = SamlXml.AppendSamlp(status, "StatusCode");
        code.SetAttribute("Value", statusCode);
        if (secondLevelStatusCode is not null)
        {
            // §3.2.2.2: the second-level code is a StatusCode nested inside the top-level one.
            SamlXml.AppendSamlp(code, "StatusCode").SetAttribute("Value", secondLevelStatusCode);
        }

        if (statusMessage is not null)
        {
            SamlXml.Append(status, SamlXml.Samlp(response.OwnerDocument, "StatusMessage"), statusMessage);
        }
    }
}
