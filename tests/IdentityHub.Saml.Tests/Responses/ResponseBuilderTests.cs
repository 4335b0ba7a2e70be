using System.Text.RegularExpressions;
using System.Xml;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Tests.Responses;

/// <summary>saml-core §3.3.3 Response and §2.3.3 Assertion as ResponseBuilder writes them for saml-profiles §4.1.4.2.</summary>
public sealed class ResponseBuilderTests
{
    [Fact]
    public void A_success_response_has_Issuer_then_Status_then_one_Assertion_and_the_response_attributes()
    {
        var document = ResponseBuilder.Success(Samples.Content());
        var response = document.DocumentElement!;

        Assert.Equal(("Response", SamlNames.Protocol), (response.LocalName, response.NamespaceURI));
        Assert.Equal(["Issuer", "Status", "Assertion"], Samples.ChildNames(response));
        Assert.Equal(SamlNames.Version, response.GetAttribute("Version"));
        Assert.Equal(Samples.AcsUrl, response.GetAttribute("Destination"));
        Assert.Equal("_4f1c9e0b2a7d4c1e8b3a6f5d2c9e0a1b", response.GetAttribute("InResponseTo"));
        Assert.Equal(SamlStatus.Success, Samples.Single(document, "/samlp:Response/samlp:Status/samlp:StatusCode").GetAttribute("Value"));
        Assert.Equal(Samples.IdpEntityId, Samples.Single(document, "/samlp:Response/saml:Issuer").InnerText);
    }

    [Fact]
    public void Instants_are_written_in_UTC_with_milliseconds_and_Z_whatever_the_offset_given()
    {
        var document = ResponseBuilder.Success(Samples.Content());

        Assert.Equal("2026-12-06T23:02:03.456Z", document.DocumentElement!.GetAttribute("IssueInstant"));
        Assert.Equal("2026-12-06T23:02:03.456Z", Samples.Single(document, "//saml:Assertion").GetAttribute("IssueInstant"));
        Assert.Equal("2026-12-06T23:00:03.456Z", Samples.Single(document, "//saml:AuthnStatement").GetAttribute("AuthnInstant"));
    }

    [Fact]
    public void The_assertion_children_are_in_schema_order_Issuer_Subject_Conditions_AuthnStatement_AttributeStatement()
    {
        var assertion = ResponseBuilder.AssertionOf(ResponseBuilder.Success(Samples.Content()));

        Assert.Equal(["Issuer", "Subject", "Conditions", "AuthnStatement", "AttributeStatement"], Samples.ChildNames(assertion));
        Assert.Equal(SamlNames.Version, assertion.GetAttribute("Version"));
        Assert.Matches("^_[0-9a-f]{32}$", assertion.GetAttribute("ID"));
    }

    [Theory]
    [InlineData("_4f1c9e0b2a7d4c1e8b3a6f5d2c9e0a1b")]
    [InlineData(null)]
    public void SubjectConfirmationData_is_bearer_with_Recipient_and_NotOnOrAfter_and_never_NotBefore(string? inResponseTo)
    {
        var document = ResponseBuilder.Success(Samples.Content(inResponseTo));

        var confirmation = Samples.Single(document, "//saml:Subject/saml:SubjectConfirmation");
        Assert.Equal("urn:oasis:names:tc:SAML:2.0:cm:bearer", confirmation.GetAttribute("Method"));
        var data = Samples.Single(document, "//saml:SubjectConfirmationData");
        Assert.False(data.HasAttribute("NotBefore"));
        Assert.Equal(Samples.AcsUrl, data.GetAttribute("Recipient"));
        Assert.Equal("2026-12-06T23:07:03.456Z", data.GetAttribute("NotOnOrAfter"));
        Assert.Equal(inResponseTo is not null, data.HasAttribute("InResponseTo"));
        Assert.Equal(inResponseTo ?? "", data.GetAttribute("InResponseTo"));
        Assert.Equal(inResponseTo is not null, document.DocumentElement!.HasAttribute("InResponseTo"));
    }

    [Fact]
    public void The_NameID_carries_its_format_and_SPNameQualifier()
    {
        var nameId = Samples.Single(ResponseBuilder.Success(Samples.Content()), "//saml:Subject/saml:NameID");

        Assert.Equal(Samples.NameId, nameId.InnerText);
        Assert.Equal(SamlNameIdFormats.Persistent, nameId.GetAttribute("Format"));
        Assert.Equal(Samples.SpEntityId, nameId.GetAttribute("SPNameQualifier"));
    }

    [Fact]
    public void Conditions_run_from_now_for_the_lifetime_and_restrict_the_audience_to_the_SP()
    {
        var document = ResponseBuilder.Success(Samples.Content());

        var conditions = Samples.Single(document, "//saml:Conditions");
        Assert.Equal("2026-12-06T23:02:03.456Z", conditions.GetAttribute("NotBefore"));
        Assert.Equal("2026-12-06T23:07:03.456Z", conditions.GetAttribute("NotOnOrAfter"));
        Assert.Equal(Samples.SpEntityId, Samples.Single(document, "//saml:Conditions/saml:AudienceRestriction/saml:Audience").InnerText);
    }

    [Fact]
    public void The_AuthnStatement_has_the_session_index_and_level_of_assurance_and_no_SessionNotOnOrAfter()
    {
        var document = ResponseBuilder.Success(Samples.Content());

        var statement = Samples.Single(document, "//saml:AuthnStatement");
        Assert.Equal("_session-7e3f", statement.GetAttribute("SessionIndex"));
        Assert.False(statement.HasAttribute("SessionNotOnOrAfter"));
        Assert.Equal(EidasLevels.Substantial, Samples.Single(document, "//saml:AuthnStatement/saml:AuthnContext/saml:AuthnContextClassRef").InnerText);
    }

    [Fact]
    public void Attributes_have_the_eIDAS_name_uri_name_format_and_typed_values_with_DateOfBirth_as_xs_date()
    {
        var document = ResponseBuilder.Success(Samples.Content());

        Assert.Equal(4, Samples.Count(document, "//saml:AttributeStatement/saml:Attribute"));
        var family = Samples.Single(document, $"//saml:Attribute[@Name='{EidasAttributes.CurrentFamilyName}']");
        Assert.Equal(EidasAttributes.NameFormatUri, family.GetAttribute("NameFormat"));
        Assert.Equal("FamilyName", family.GetAttribute("FriendlyName"));
        var familyValue = Assert.IsType<XmlElement>(family.FirstChild, exactMatch: false);
        Assert.Equal("Ó Súilleabháin", familyValue.InnerText);
        Assert.Equal("xs:string", familyValue.GetAttribute("type", SamlNames.XmlSchemaInstance));

        var birth = Samples.Single(document, $"//saml:Attribute[@Name='{EidasAttributes.DateOfBirth}']/saml:AttributeValue");
        Assert.Equal("xs:date", birth.GetAttribute("type", SamlNames.XmlSchemaInstance));
        Assert.Equal("1984-02-29", birth.InnerText);
    }

    [Fact]
    public void A_DateOfBirth_that_is_not_yyyy_MM_dd_is_refused()
    {
        var attributes = new[] { new SamlAttribute(EidasAttributes.DateOfBirth, "DateOfBirth", ["29/02/1984"]) };

        Assert.Throws<ArgumentException>(() => ResponseBuilder.Success(Samples.Content(attributes: attributes)));
    }

    [Fact]
    public void No_attributes_means_no_AttributeStatement()
    {
        var assertion = ResponseBuilder.AssertionOf(ResponseBuilder.Success(Samples.Content(attributes: [])));

        Assert.Equal(["Issuer", "Subject", "Conditions", "AuthnStatement"], Samples.ChildNames(assertion));
    }

    [Fact]
    public void The_assertion_parses_on_its_own_with_the_xs_prefix_of_its_xsi_types_declared()
    {
        var assertion = ResponseBuilder.AssertionOf(ResponseBuilder.Success(Samples.Content()));

        var alone = Samples.Parse(assertion.OuterXml);
        Assert.Equal(SamlNames.Assertion, alone.DocumentElement!.NamespaceURI);
        var value = Samples.Single(alone, "(//saml:AttributeValue)[1]");
        Assert.Equal("http://www.w3.org/2001/XMLSchema", value.GetNamespaceOfPrefix("xs"));
    }

    [Fact]
    public void An_error_response_has_nested_status_codes_and_a_message_and_no_assertion()
    {
        var document = ResponseBuilder.Error(
            Samples.IdpEntityId, Samples.AcsUrl, "_req1", SamlStatus.Responder, SamlStatus.AuthnFailed, "The citizen cancelled.", Samples.Now);

        Assert.Equal(["Issuer", "Status"], Samples.ChildNames(document.DocumentElement!));
        Assert.Equal(SamlStatus.Responder, Samples.Single(document, "/samlp:Response/samlp:Status/samlp:StatusCode").GetAttribute("Value"));
        Assert.Equal(SamlStatus.AuthnFailed, Samples.Single(document, "/samlp:Response/samlp:Status/samlp:StatusCode/samlp:StatusCode").GetAttribute("Value"));
        Assert.Equal("The citizen cancelled.", Samples.Single(document, "/samlp:Response/samlp:Status/samlp:StatusMessage").InnerText);
        Assert.Equal(0, Samples.Count(document, "//saml:Assertion"));
        Assert.Throws<InvalidOperationException>(() => ResponseBuilder.AssertionOf(document));
    }

    [Fact]
    public void An_error_response_cannot_say_Success()
    {
        Assert.Throws<ArgumentException>(() =>
            ResponseBuilder.Error(Samples.IdpEntityId, Samples.AcsUrl, null, SamlStatus.Success, null, null, Samples.Now));
    }

    [Fact]
    public void Identifiers_are_an_underscore_and_32_hex_digits_and_do_not_repeat()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => SamlIds.New()).ToList();

        Assert.All(ids, id => Assert.Matches(new Regex("^_[0-9a-f]{32}$"), id));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        var document = ResponseBuilder.Success(Samples.Content());
        Assert.NotEqual(document.DocumentElement!.GetAttribute("ID"), ResponseBuilder.AssertionOf(document).GetAttribute("ID"));
    }
}
