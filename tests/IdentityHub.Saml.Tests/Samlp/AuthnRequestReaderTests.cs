using System.Xml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Samlp;
using IdentityHub.Saml.Tests.Inbound;

namespace IdentityHub.Saml.Tests.Samlp;

/// <summary>Rules 7 and 8 for samlp:AuthnRequest (saml-core-2.0-os §3.2.1, §3.4.1).</summary>
public sealed class AuthnRequestReaderTests
{
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(3);

    private static (AuthnRequestMessage? Request, SamlProblem? Problem) Read(string xml, DateTimeOffset? now = null) =>
        AuthnRequestReader.Read(SampleMessages.Parse(xml).DocumentElement!, now ?? DateTimeOffset.UtcNow, Skew);

    private static string Mutate(Action<XmlDocument, XmlNamespaceManager> change)
    {
        XmlDocument document = SampleMessages.Parse(SampleMessages.AuthnRequest());
        change(document, SampleMessages.Namespaces(document));
        return document.OuterXml;
    }

    private static string WithAttribute(string name, string? value) => Mutate((d, _) =>
    {
        if (value is null)
        {
            d.DocumentElement!.RemoveAttribute(name);
        }
        else
        {
            d.DocumentElement!.SetAttribute(name, value);
        }
    });

    [Fact]
    public void A_signed_AuthnRequest_is_read_from_the_verified_root_with_every_field()
    {
        (XmlElement? root, SamlProblem? verifyProblem) = InboundPipeline.PostAndVerify(TestSigner.Sign(SampleMessages.AuthnRequest(), TestKeys.SpEcdsa));
        Assert.Null(verifyProblem);

        (AuthnRequestMessage? request, SamlProblem? problem) = AuthnRequestReader.Read(root!, DateTimeOffset.UtcNow, Skew);

        Assert.Null(problem);
        Assert.Equal("_req1", request!.Id);
        Assert.Equal(SampleMessages.SpEntityId, request.Issuer);
        Assert.Equal(SampleMessages.Destination, request.Destination);
        Assert.Equal("https://sp.agency.test/saml/acs", request.AssertionConsumerServiceUrl);
        Assert.Null(request.AssertionConsumerServiceIndex);
        Assert.Equal(SamlBindings.HttpPost, request.ProtocolBinding);
        Assert.True(request.ForceAuthn);
        Assert.False(request.IsPassive);
        Assert.Equal(SamlNameIdFormats.Persistent, request.NameIdPolicyFormat);
        Assert.True(request.AllowCreate);
        Assert.Equal(SampleMessages.SpEntityId, request.SpNameQualifier);
        Assert.Equal(SamlComparison.Minimum, request.Comparison);
        Assert.Equal([EidasLevels.Substantial, EidasLevels.High], request.RequestedClassRefs);
        Assert.True(Math.Abs((request.IssueInstant - DateTimeOffset.UtcNow).TotalSeconds) < 60);
    }

    [Fact]
    public void A_minimal_request_has_defaults()
    {
        string xml = $"""<samlp:AuthnRequest xmlns:samlp="{SamlNames.Protocol}" ID="_m" Version="2.0" IssueInstant="{SampleMessages.Now}"><saml:Issuer xmlns:saml="{SamlNames.Assertion}">sp</saml:Issuer></samlp:AuthnRequest>""";

        (AuthnRequestMessage? request, SamlProblem? problem) = Read(xml);

        Assert.Null(problem);
        Assert.False(request!.ForceAuthn);
        Assert.False(request.IsPassive);
        Assert.Null(request.Comparison);
        Assert.Empty(request.RequestedClassRefs);
        Assert.Null(request.AllowCreate);
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.1")]
    [InlineData(null)]
    public void A_version_other_than_2_0_is_a_VersionMismatch(string? version)
    {
        (_, SamlProblem? problem) = Read(WithAttribute("Version", version));

        Assert.Equal(SamlStatus.VersionMismatch, problem?.StatusCode);
        Assert.Equal(SamlProblemCodes.Version, problem?.Code);
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("a:b")]
    [InlineData("")]
    public void An_ID_that_is_not_an_NCName_is_refused(string id)
    {
        Assert.Equal(SamlProblemCodes.Schema, Read(WithAttribute("ID", id)).Problem?.Code);
    }

    [Fact]
    public void An_IssueInstant_older_than_the_skew_is_expired_and_one_beyond_it_not_yet_valid()
    {
        string xml = SampleMessages.AuthnRequest();

        Assert.Equal(SamlProblemCodes.Expired, Read(xml, DateTimeOffset.UtcNow.AddMinutes(4)).Problem?.Code);
        Assert.Equal(SamlProblemCodes.NotYetValid, Read(xml, DateTimeOffset.UtcNow.AddMinutes(-4)).Problem?.Code);
        Assert.Null(Read(xml, DateTimeOffset.UtcNow.AddMinutes(2)).Problem);
    }

    [Theory]
    [InlineData("2026-12-07T10:00:00+02:00")]
    [InlineData("2026-12-07T10:00:00")]
    [InlineData("07/12/2026 10:00:00")]
    public void An_IssueInstant_not_in_UTC_xs_dateTime_form_is_refused(string instant)
    {
        Assert.Equal(SamlProblemCodes.Schema, Read(WithAttribute("IssueInstant", instant)).Problem?.Code);
    }

    [Fact]
    public void A_request_without_Issuer_is_refused()
    {
        string xml = Mutate((d, ns) => d.DocumentElement!.RemoveChild(d.SelectSingleNode("//saml:Issuer", ns)!));

        Assert.Equal(SamlProblemCodes.Schema, Read(xml).Problem?.Code);
    }

    [Fact]
    public void An_Issuer_with_a_Format_other_than_entity_is_refused()
    {
        string xml = Mutate((d, ns) => ((XmlElement)d.SelectSingleNode("//saml:Issuer", ns)!).SetAttribute("Format", SamlNameIdFormats.Persistent));

        Assert.Equal(SamlProblemCodes.Schema, Read(xml).Problem?.Code);
    }

    [Fact]
    public void An_Issuer_holding_an_element_instead_of_text_is_refused()
    {
        string xml = Mutate((d, ns) => d.SelectSingleNode("//saml:Issuer", ns)!.AppendChild(d.CreateElement("x", "y", "urn:x")));

        Assert.Equal(SamlProblemCodes.Schema, Read(xml).Problem?.Code);
    }

    [Fact]
    public void A_root_element_outside_the_protocol_namespace_is_refused()
    {
        string xml = SampleMessages.AuthnRequest().Replace("xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"", "xmlns:samlp=\"urn:oasis:names:tc:SAML:1.0:protocol\"", StringComparison.Ordinal);

        Assert.Equal(SamlProblemCodes.Schema, Read(xml).Problem?.Code);
    }

    [Fact]
    public void A_LogoutRequest_is_not_read_as_an_AuthnRequest()
    {
        Assert.Equal(SamlProblemCodes.Schema, Read(SampleMessages.LogoutRequest()).Problem?.Code);
    }

    [Theory]
    [InlineData("ForceAuthn", "yes")]
    [InlineData("IsPassive", "TRUE")]
    [InlineData("ForceAuthn", " true")]
    public void A_boolean_attribute_outside_xs_boolean_is_refused(string name, string value)
    {
        Assert.Equal(SamlProblemCodes.Schema, Read(WithAttribute(name, value)).Problem?.Code);
    }

    [Fact]
    public void Boolean_1_and_0_are_read_as_true_and_false()
    {
        string xml = Mutate((d, _) =>
        {
            d.DocumentElement!.SetAttribute("ForceAuthn", "0");
            d.DocumentElement.SetAttribute("IsPassive", "1");
        });

        AuthnRequestMessage request = Read(xml).Request!;

        Assert.False(request.ForceAuthn);
        Assert.True(request.IsPassive);
    }

    [Fact]
    public void AssertionConsumerServiceIndex_with_AssertionConsumerServiceURL_is_refused()
    {
        (_, SamlProblem? problem) = Read(WithAttribute("AssertionConsumerServiceIndex", "1"));

        Assert.Equal(SamlStatus.Requester, problem?.StatusCode);
        Assert.Equal(SamlProblemCodes.Schema, problem?.Code);
    }

    [Fact]
    public void AssertionConsumerServiceIndex_alone_is_read()
    {
        string xml = Mutate((d, _) =>
        {
            d.DocumentElement!.RemoveAttribute("AssertionConsumerServiceURL");
            d.DocumentElement.SetAttribute("AssertionConsumerServiceIndex", "3");
        });

        Assert.Equal(3, Read(xml).Request!.AssertionConsumerServiceIndex);
        Assert.Equal(SamlProblemCodes.Schema, Read(xml.Replace("\"3\"", "\"70000\"", StringComparison.Ordinal)).Problem?.Code);
    }

    [Fact]
    public void A_ProtocolBinding_other_than_HTTP_POST_is_UnsupportedBinding()
    {
        (_, SamlProblem? problem) = Read(WithAttribute("ProtocolBinding", "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact"));

        Assert.Equal(SamlStatus.Requester, problem?.StatusCode);
        Assert.Equal(SamlStatus.UnsupportedBinding, problem?.SecondLevelStatusCode);
    }

    [Fact]
    public void A_Comparison_outside_the_four_values_is_refused()
    {
        string xml = Mutate((d, ns) => ((XmlElement)d.SelectSingleNode("//samlp:RequestedAuthnContext", ns)!).SetAttribute("Comparison", "atleast"));

        Assert.Equal(SamlProblemCodes.Schema, Read(xml).Problem?.Code);
    }

    [Fact]
    public void A_RequestedAuthnContext_without_Comparison_means_exact()
    {
        string xml = Mutate((d, ns) => ((XmlElement)d.SelectSingleNode("//samlp:RequestedAuthnContext", ns)!).RemoveAttribute("Comparison"));

        Assert.Equal(SamlComparison.Exact, Read(xml).Request!.Comparison);
    }

    [Fact]
    public void An_AuthnContextDeclRef_is_RequestUnsupported()
    {
        string xml = Mutate((d, ns) =>
        {
            XmlNode context = d.SelectSingleNode("//samlp:RequestedAuthnContext", ns)!;
            context.RemoveAll();
            context.AppendChild(d.CreateElement("saml", "AuthnContextDeclRef", SamlNames.Assertion))!.InnerText = "urn:decl";
        });

        Assert.Equal(SamlStatus.RequestUnsupported, Read(xml).Problem?.SecondLevelStatusCode);
    }

    [Fact]
    public void A_Subject_in_the_request_is_RequestUnsupported_and_Scoping_is_ignored()
    {
        string withSubject = Mutate((d, ns) => d.DocumentElement!.InsertBefore(d.CreateElement("saml", "Subject", SamlNames.Assertion), d.SelectSingleNode("//samlp:NameIDPolicy", ns)));
        string withScoping = Mutate((d, _) => d.DocumentElement!.AppendChild(d.CreateElement("samlp", "Scoping", SamlNames.Protocol)));

        Assert.Equal(SamlStatus.RequestUnsupported, Read(withSubject).Problem?.SecondLevelStatusCode);
        Assert.Null(Read(withScoping).Problem);
    }

    [Fact]
    public void An_element_the_schema_does_not_allow_is_refused()
    {
        string xml = Mutate((d, _) => d.DocumentElement!.AppendChild(d.CreateElement("samlp", "Surprise", SamlNames.Protocol)));

        Assert.Equal(SamlProblemCodes.Schema, Read(xml).Problem?.Code);
    }

    [Fact]
    public void An_AllowCreate_outside_xs_boolean_is_refused()
    {
        string xml = Mutate((d, ns) => ((XmlElement)d.SelectSingleNode("//samlp:NameIDPolicy", ns)!).SetAttribute("AllowCreate", "yes"));

        Assert.Equal(SamlProblemCodes.Schema, Read(xml).Problem?.Code);
    }

    [Fact]
    public void An_Issuer_or_NameIDPolicy_in_the_wrong_SAML_namespace_is_refused()
    {
        string issuerInProtocol = SampleMessages.AuthnRequest()
            .Replace("<saml:Issuer>", "<samlp:Issuer>", StringComparison.Ordinal).Replace("</saml:Issuer>", "</samlp:Issuer>", StringComparison.Ordinal);
        string policyInAssertion = SampleMessages.AuthnRequest().Replace("<samlp:NameIDPolicy", "<saml:NameIDPolicy", StringComparison.Ordinal);

        Assert.Equal(SamlProblemCodes.Schema, Read(issuerInProtocol).Problem?.Code);
        Assert.Equal(SamlProblemCodes.Schema, Read(policyInAssertion).Problem?.Code);
        Assert.Null(Read(SampleMessages.AuthnRequest()).Problem);
    }
}
