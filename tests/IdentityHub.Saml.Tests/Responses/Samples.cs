using System.Xml;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Tests.Responses;

/// <summary>A realistic eIDAS assertion for a relying agency, and XML reading the tests share.</summary>
internal static class Samples
{
    public const string IdpEntityId = "https://hub.identity.example.gov/saml/metadata";
    public const string SpEntityId = "https://benefits.agency.example.gov/saml";
    public const string AcsUrl = "https://benefits.agency.example.gov/saml/acs";
    public const string NameId = "c2a8e2f1-7d4b-4a57-9d0e-3f6a1b2c4d5e";

    public static readonly DateTimeOffset Now = new(2026, 12, 7, 1, 2, 3, 456, TimeSpan.FromHours(2));

    public static AssertionContent Content(string? inResponseTo = "_4f1c9e0b2a7d4c1e8b3a6f5d2c9e0a1b", IReadOnlyList<SamlAttribute>? attributes = null) => new(
        IdpEntityId,
        SpEntityId,
        AcsUrl,
        inResponseTo,
        new SamlSubject(NameId, SamlNameIdFormats.Persistent, SpEntityId),
        Now.AddMinutes(-2),
        "_session-7e3f",
        EidasLevels.Substantial,
        attributes ?? Attributes,
        Now,
        TimeSpan.FromMinutes(5));

    public static IReadOnlyList<SamlAttribute> Attributes { get; } =
    [
        new(EidasAttributes.PersonIdentifier, "PersonIdentifier", ["XX/BE/4f1c9e0b"]),
        new(EidasAttributes.CurrentFamilyName, "FamilyName", ["Ó Súilleabháin"]),
        new(EidasAttributes.CurrentGivenName, "FirstName", ["Aoife"]),
        new(EidasAttributes.DateOfBirth, "DateOfBirth", ["1984-02-29"]),
    ];

    public static XmlNamespaceManager Namespaces(XmlDocument document)
    {
        var namespaces = new XmlNamespaceManager(document.NameTable);
        namespaces.AddNamespace("samlp", SamlNames.Protocol);
        namespaces.AddNamespace("saml", SamlNames.Assertion);
        namespaces.AddNamespace("md", SamlNames.Metadata);
        namespaces.AddNamespace("ds", SamlNames.XmlDsig);
        namespaces.AddNamespace("xenc", SamlNames.XmlEnc);
        namespaces.AddNamespace("xenc11", SamlNames.XmlEnc11);
        return namespaces;
    }

    public static XmlElement Single(XmlDocument document, string xpath) =>
        Assert.IsType<XmlElement>(Assert.Single(document.SelectNodes(xpath, Namespaces(document))!.Cast<XmlNode>()), exactMatch: false);

    public static int Count(XmlDocument document, string xpath) => document.SelectNodes(xpath, Namespaces(document))!.Count;

    public static string[] ChildNames(XmlElement element) =>
        element.ChildNodes.OfType<XmlElement>().Select(e => e.LocalName).ToArray();

    /// <summary>Parses text the way an SP would: no DTD, no resolver, whitespace kept (signatures depend on it).</summary>
    public static XmlDocument Parse(string xml)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        document.Load(reader);
        return document;
    }
}
