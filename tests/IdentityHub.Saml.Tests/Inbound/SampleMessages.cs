using System.Globalization;
using System.Xml;

namespace IdentityHub.Saml.Tests.Inbound;

/// <summary>Valid sample messages from a service provider, issued "now".</summary>
internal static class SampleMessages
{
    public const string SpEntityId = "https://sp.agency.test/saml";
    public const string Destination = "https://hub.test/saml/sso";

    public static string Now => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string AuthnRequest(string id = "_req1") =>
        $"""
        <samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{Now}" Destination="{Destination}" AssertionConsumerServiceURL="https://sp.agency.test/saml/acs" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" ForceAuthn="true" IsPassive="0">
          <saml:Issuer>{SpEntityId}</saml:Issuer>
          <samlp:Extensions><x:Note xmlns:x="urn:test:ext">hello</x:Note></samlp:Extensions>
          <samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" AllowCreate="true" SPNameQualifier="{SpEntityId}"/>
          <samlp:RequestedAuthnContext Comparison="minimum">
            <saml:AuthnContextClassRef>http://eidas.europa.eu/LoA/substantial</saml:AuthnContextClassRef>
            <saml:AuthnContextClassRef>http://eidas.europa.eu/LoA/high</saml:AuthnContextClassRef>
          </samlp:RequestedAuthnContext>
        </samlp:AuthnRequest>
        """;

    public static string LogoutRequest(string id = "_lo1", string nameId = "user@agency.test") =>
        $"""
        <samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{Now}" Destination="https://hub.test/saml/slo">
          <saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">{SpEntityId}</saml:Issuer>
          <saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" NameQualifier="https://hub.test" SPNameQualifier="{SpEntityId}">{nameId}</saml:NameID>
          <samlp:SessionIndex>s-1</samlp:SessionIndex>
          <samlp:SessionIndex>s-2</samlp:SessionIndex>
        </samlp:LogoutRequest>
        """;

    public static string LogoutResponse(string id = "_lr1") =>
        $"""
        <samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{Now}" Destination="https://hub.test/saml/slo" InResponseTo="_hub42">
          <saml:Issuer>{SpEntityId}</saml:Issuer>
          <samlp:Status>
            <samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:PartialLogout"/></samlp:StatusCode>
          </samlp:Status>
        </samlp:LogoutResponse>
        """;

    /// <summary>A Response whose root is signed (the XSW taxonomy's first target), with an assertion inside.</summary>
    public static string Response(string id = "_resp1") =>
        $"""
        <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{Now}" Destination="https://sp.agency.test/saml/acs">
          <saml:Issuer>{SpEntityId}</saml:Issuer>
          <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
          <saml:Assertion ID="_a1" Version="2.0" IssueInstant="{Now}"><saml:Issuer>{SpEntityId}</saml:Issuer><saml:Subject><saml:NameID>alice@agency.test</saml:NameID></saml:Subject></saml:Assertion>
        </samlp:Response>
        """;

    /// <summary>A standalone Assertion (the XSW taxonomy's second target).</summary>
    public static string Assertion(string id = "_as1") =>
        $"""
        <saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{Now}">
          <saml:Issuer>{SpEntityId}</saml:Issuer>
          <saml:Subject><saml:NameID>alice@agency.test</saml:NameID></saml:Subject>
        </saml:Assertion>
        """;

    public static XmlDocument Parse(string xml)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        document.Load(reader);
        return document;
    }

    public static XmlNamespaceManager Namespaces(XmlDocument document)
    {
        var ns = new XmlNamespaceManager(document.NameTable);
        ns.AddNamespace("samlp", "urn:oasis:names:tc:SAML:2.0:protocol");
        ns.AddNamespace("saml", "urn:oasis:names:tc:SAML:2.0:assertion");
        ns.AddNamespace("ds", "http://www.w3.org/2000/09/xmldsig#");
        return ns;
    }
}
