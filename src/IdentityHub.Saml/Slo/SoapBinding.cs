using System.Text;
using System.Xml;
using IdentityHub.Saml.Validation;

namespace IdentityHub.Saml.Slo;

/// <summary>
/// The SAML SOAP binding (saml-bindings-2.0-os §3.2): a SAML request goes as the only child of a SOAP 1.1 Body in an
/// HTTP POST (text/xml, SOAPAction http://www.oasis-open.org/committees/security), and the answer comes back the same
/// way in the HTTP response, or as a SOAP Fault when the responder could not process the request at all (§3.2.3.1).
/// </summary>
internal static class SoapBinding
{
    public const string EnvelopeNamespace = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string SoapAction = "http://www.oasis-open.org/committees/security";
    public const string MediaType = "text/xml";

    /// <summary>The envelope around an already signed message (the message's bytes are not touched, so its signature holds).</summary>
    public static string Envelope(XmlElement message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return $"<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"{EnvelopeNamespace}\"><SOAP-ENV:Body>{message.OuterXml}</SOAP-ENV:Body></SOAP-ENV:Envelope>";
    }

    /// <summary>
    /// Reads an answer as <see cref="SafeXml"/> reads every inbound message, then takes the Body's one element out into a
    /// document of its own, carrying the namespaces it was declared under, so that its signature is checked exactly as a
    /// front-channel message's is (the Reference must name the root). A Fault gives its faultstring.
    /// </summary>
    public static SoapBody Read(byte[] answer, int maxBytes)
    {
        var (document, problem) = SafeXml.Read(answer, maxBytes);
        if (document is null)
        {
            return SoapBody.Refused(problem!.Detail);
        }

        var envelope = document.DocumentElement!;
        if (envelope.NamespaceURI != EnvelopeNamespace || envelope.LocalName != "Envelope")
        {
            return SoapBody.Refused("The answer is not a SOAP 1.1 Envelope.");
        }

        var bodies = envelope.ChildNodes.OfType<XmlElement>().Where(e => e.NamespaceURI == EnvelopeNamespace && e.LocalName == "Body").ToList();
        if (bodies.Count != 1)
        {
            return SoapBody.Refused("The SOAP Envelope must have exactly one Body.");
        }

        var content = bodies[0].ChildNodes.OfType<XmlElement>().ToList();
        if (content.Count != 1)
        {
            return SoapBody.Refused("The SOAP Body must hold exactly one element (saml-bindings-2.0-os §3.2.2.1).");
        }

        var message = content[0];
        if (message.NamespaceURI == EnvelopeNamespace && message.LocalName == "Fault")
        {
            var text = message.ChildNodes.OfType<XmlElement>().FirstOrDefault(e => e.LocalName == "faultstring")?.InnerText;
            return new SoapBody(null, "SOAP Fault: " + (string.IsNullOrWhiteSpace(text) ? "(no faultstring)" : text.Trim()), null);
        }

        var standalone = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var root = (XmlElement)standalone.ImportNode(message, deep: true);
        for (var ancestor = message.ParentNode as XmlElement; ancestor is not null; ancestor = ancestor.ParentNode as XmlElement)
        {
            foreach (var declaration in ancestor.Attributes.OfType<XmlAttribute>().Where(a => a.NamespaceURI == "http://www.w3.org/2000/xmlns/"))
            {
                if (!root.HasAttribute(declaration.Name))
                {
                    root.SetAttribute(declaration.Name, declaration.Value);
                }
            }
        }

        standalone.AppendChild(root);
        var (extracted, extractProblem) = SafeXml.Read(Encoding.UTF8.GetBytes(standalone.OuterXml), maxBytes);
        return extracted is null ? SoapBody.Refused(extractProblem!.Detail) : new SoapBody(extracted, null, null);
    }
}

/// <summary>What a SOAP answer held: the message (its own document), a Fault, or why it could not be read.</summary>
internal sealed record SoapBody(XmlDocument? Message, string? Fault, string? Problem)
{
    public static SoapBody Refused(string problem) => new(null, null, problem);
}
