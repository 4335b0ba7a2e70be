using System.Globalization;
using System.Xml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Samlp;

/// <summary>
/// Reads a samlp:AuthnRequest (saml-core-2.0-os §3.4.1; saml-profiles-2.0-os §4.1.4.1) from the verified root only.
/// Anything the hub does not implement is refused with RequestUnsupported rather than silently ignored.
/// </summary>
internal static class AuthnRequestReader
{
    public static (AuthnRequestMessage? Request, SamlProblem? Problem) Read(XmlElement root, DateTimeOffset now, TimeSpan skew)
    {
        ArgumentNullException.ThrowIfNull(root);
        try
        {
            return ReadCore(root, now, skew);
        }
        catch (Exception ex) when (ex is XmlException or FormatException)
        {
            return (null, SamlProblem.Requester(SamlProblemCodes.Schema, "The AuthnRequest could not be read."));
        }
    }

    private static (AuthnRequestMessage?, SamlProblem?) ReadCore(XmlElement root, DateTimeOffset now, TimeSpan skew)
    {
        (MessageHeader? header, SamlProblem? problem) = MessageHeader.Read(root, "AuthnRequest", now, skew);
        if (header is null)
        {
            return (null, problem);
        }

        (bool forceValid, bool? forceAuthn) = XsBoolean.Parse(root.GetAttributeNode("ForceAuthn")?.Value);
        (bool passiveValid, bool? isPassive) = XsBoolean.Parse(root.GetAttributeNode("IsPassive")?.Value);
        if (!forceValid || !passiveValid)
        {
            return Fail(SamlProblemCodes.Schema, "ForceAuthn and IsPassive must be xs:boolean.");
        }

        string? acsUrl = root.GetAttributeNode("AssertionConsumerServiceURL")?.Value;
        string? acsIndexText = root.GetAttributeNode("AssertionConsumerServiceIndex")?.Value;
        int? acsIndex = null;
        if (acsIndexText is not null)
        {
            // xs:unsignedShort.
            if (!int.TryParse(acsIndexText, NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index > ushort.MaxValue)
            {
                return Fail(SamlProblemCodes.Schema, "AssertionConsumerServiceIndex must be an unsigned short.");
            }

            acsIndex = index;
        }

        // §3.4.1: AssertionConsumerServiceIndex is mutually exclusive with AssertionConsumerServiceURL and ProtocolBinding.
        if (acsIndex is not null && acsUrl is not null)
        {
            return Fail(SamlProblemCodes.Schema, "AssertionConsumerServiceIndex and AssertionConsumerServiceURL are mutually exclusive.");
        }

        string? binding = root.GetAttributeNode("ProtocolBinding")?.Value;
        if (binding is not null && binding != SamlBindings.HttpPost)
        {
            // The hub answers only with the HTTP-POST binding (saml-profiles-2.0-os §4.1.2 lets the IdP choose).
            return (null, new SamlProblem(SamlStatus.Requester, SamlProblemCodes.UnsupportedBinding, "The hub answers only with the HTTP-POST binding.")
            {
                SecondLevelStatusCode = SamlStatus.UnsupportedBinding,
            });
        }

        var parts = new AuthnRequestParts();
        if (ReadChildren(root, parts) is { } childProblem)
        {
            return (null, childProblem);
        }

        return (new AuthnRequestMessage(
            header.Id, header.IssueInstant, header.Destination, header.Issuer, acsUrl, acsIndex, binding,
            forceAuthn ?? false, isPassive ?? false, parts.NameIdPolicyFormat, parts.AllowCreate, parts.SpNameQualifier,
            parts.Comparison, parts.ClassRefs), null);
    }

    /// <summary>§3.4.1 content after Issuer and Signature: Extensions?, Subject?, NameIDPolicy?, Conditions?, RequestedAuthnContext?, Scoping?.</summary>
    private static SamlProblem? ReadChildren(XmlElement root, AuthnRequestParts parts)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (XmlElement child in root.ChildNodes.OfType<XmlElement>().Skip(1))
        {
            string name = child.NamespaceURI + " " + child.LocalName;
            if (!seen.Add(name))
            {
                return SamlProblem.Requester(SamlProblemCodes.Schema, $"The AuthnRequest repeats {child.LocalName}.");
            }

            SamlProblem? problem = (child.NamespaceURI, child.LocalName) switch
            {
                (SamlNames.XmlDsig, "Signature") or (SamlNames.Protocol, "Extensions") or (SamlNames.Assertion, "Conditions") => null,

                // §3.4.1.5: Scoping only widens proxying; the hub does not proxy, so it has nothing to honour.
                (SamlNames.Protocol, "Scoping") => null,
                (SamlNames.Assertion, "Subject") => SamlProblem.Unsupported(SamlProblemCodes.Unsupported, "A Subject in the AuthnRequest is not supported."),
                (SamlNames.Protocol, "NameIDPolicy") => ReadNameIdPolicy(child, parts),
                (SamlNames.Protocol, "RequestedAuthnContext") => ReadRequestedAuthnContext(child, parts),
                _ => SamlProblem.Requester(SamlProblemCodes.Schema, "The AuthnRequest has an element the schema does not allow there."),
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>§3.4.1.1 NameIDPolicy.</summary>
    private static SamlProblem? ReadNameIdPolicy(XmlElement policy, AuthnRequestParts parts)
    {
        (bool valid, bool? allowCreate) = XsBoolean.Parse(policy.GetAttributeNode("AllowCreate")?.Value);
        if (!valid)
        {
            return SamlProblem.Requester(SamlProblemCodes.Schema, "NameIDPolicy AllowCreate must be xs:boolean.");
        }

        parts.AllowCreate = allowCreate;
        parts.NameIdPolicyFormat = policy.GetAttributeNode("Format")?.Value;
        parts.SpNameQualifier = policy.GetAttributeNode("SPNameQualifier")?.Value;
        return null;
    }

    /// <summary>§3.3.2.2.1 RequestedAuthnContext: Comparison (default exact) and AuthnContextClassRef+ (or DeclRef+, unsupported).</summary>
    private static SamlProblem? ReadRequestedAuthnContext(XmlElement context, AuthnRequestParts parts)
    {
        string comparison = context.GetAttributeNode("Comparison")?.Value ?? SamlComparison.Exact;
        if (comparison is not (SamlComparison.Exact or SamlComparison.Minimum or SamlComparison.Better or SamlComparison.Maximum))
        {
            return SamlProblem.Requester(SamlProblemCodes.Schema, "RequestedAuthnContext Comparison must be exact, minimum, better or maximum.");
        }

        var classRefs = new List<string>();
        foreach (XmlElement child in context.ChildNodes.OfType<XmlElement>())
        {
            if (child.NamespaceURI == SamlNames.Assertion && child.LocalName == "AuthnContextDeclRef")
            {
                return SamlProblem.Unsupported(SamlProblemCodes.Unsupported, "AuthnContextDeclRef is not supported; request an AuthnContextClassRef.");
            }

            if (child.NamespaceURI != SamlNames.Assertion || child.LocalName != "AuthnContextClassRef" || ElementText.Read(child) is not { } value || value.Trim().Length == 0)
            {
                return SamlProblem.Requester(SamlProblemCodes.Schema, "RequestedAuthnContext must hold AuthnContextClassRef URIs.");
            }

            classRefs.Add(value.Trim());
        }

        if (classRefs.Count == 0)
        {
            return SamlProblem.Requester(SamlProblemCodes.Schema, "RequestedAuthnContext names no AuthnContextClassRef.");
        }

        parts.Comparison = comparison;
        parts.ClassRefs = classRefs;
        return null;
    }

    private static (AuthnRequestMessage?, SamlProblem?) Fail(string code, string detail) => (null, SamlProblem.Requester(code, detail));

    private sealed class AuthnRequestParts
    {
        public string? NameIdPolicyFormat { get; set; }

        public bool? AllowCreate { get; set; }

        public string? SpNameQualifier { get; set; }

        public string? Comparison { get; set; }

        public IReadOnlyList<string> ClassRefs { get; set; } = [];
    }
}
