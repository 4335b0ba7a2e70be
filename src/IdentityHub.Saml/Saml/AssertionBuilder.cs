using System.Globalization;
using System.Xml;

namespace IdentityHub.Saml.Saml;

/// <summary>
/// The one Assertion of a Web Browser SSO Response (saml-core-2.0-os §2.3.3, saml-profiles-2.0-os §4.1.4.2), children in
/// schema order: Issuer, (Signature, inserted later by the signer), Subject, Conditions, AuthnStatement, AttributeStatement.
/// </summary>
internal static class AssertionBuilder
{
    private const string BearerMethod = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

    public static XmlElement Build(XmlDocument document, AssertionContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var assertion = SamlXml.Saml(document, "Assertion");

        // The Assertion declares every namespace it uses, including xs for the xsi:type QName values, so that it parses
        // alone: after decryption (saml-core §2.3.4) or when an SP stores it apart from the Response.
        SamlXml.Declare(assertion, SamlXml.SamlPrefix, SamlNames.Assertion);
        SamlXml.Declare(assertion, SamlXml.XsPrefix, SamlXml.XmlSchema);
        SamlXml.Declare(assertion, SamlXml.XsiPrefix, SamlNames.XmlSchemaInstance);

        // §2.3.3 attribute order of the schema: Version, ID, IssueInstant.
        assertion.SetAttribute("Version", SamlNames.Version);
        assertion.SetAttribute("ID", SamlIds.New());
        assertion.SetAttribute("IssueInstant", SamlXml.Instant(content.Now));

        SamlXml.AppendSaml(assertion, "Issuer", content.IdpEntityId);
        AppendSubject(assertion, content);
        AppendConditions(assertion, content);
        AppendAuthnStatement(assertion, content);
        AppendAttributeStatement(assertion, content.Attributes);
        return assertion;
    }

    public static XmlElement AppendNameId(XmlElement parent, SamlSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var nameId = SamlXml.AppendSaml(parent, "NameID", subject.NameId);
        SamlXml.SetIfNotNull(nameId, "SPNameQualifier", subject.SpNameQualifier);
        nameId.SetAttribute("Format", subject.NameIdFormat);
        return nameId;
    }

    private static void AppendSubject(XmlElement assertion, AssertionContent content)
    {
        var subject = SamlXml.AppendSaml(assertion, "Subject");
        AppendNameId(subject, content.Subject);

        // saml-profiles §4.1.4.2: a bearer SubjectConfirmation whose data has Recipient, NotOnOrAfter and InResponseTo
        // (when answering a request) and no NotBefore.
        var confirmation = SamlXml.AppendSaml(subject, "SubjectConfirmation");
        confirmation.SetAttribute("Method", BearerMethod);
        var data = SamlXml.AppendSaml(confirmation, "SubjectConfirmationData");
        data.SetAttribute("NotOnOrAfter", SamlXml.Instant(content.Now + content.Lifetime));
        data.SetAttribute("Recipient", content.AcsUrl);
        SamlXml.SetIfNotNull(data, "InResponseTo", content.InResponseTo);
    }

    private static void AppendConditions(XmlElement assertion, AssertionContent content)
    {
        // saml-core §2.5.1; saml-profiles §4.1.4.2: an AudienceRestriction naming the SP.
        var conditions = SamlXml.AppendSaml(assertion, "Conditions");
        conditions.SetAttribute("NotBefore", SamlXml.Instant(content.Now));
        conditions.SetAttribute("NotOnOrAfter", SamlXml.Instant(content.Now + content.Lifetime));
        var restriction = SamlXml.AppendSaml(conditions, "AudienceRestriction");
        SamlXml.AppendSaml(restriction, "Audience", content.SpEntityId);
    }

    private static void AppendAuthnStatement(XmlElement assertion, AssertionContent content)
    {
        // saml-core §2.7.2; SessionNotOnOrAfter is omitted: the hub ends sessions itself and tells SPs by Single Logout.
        var statement = SamlXml.AppendSaml(assertion, "AuthnStatement");
        statement.SetAttribute("AuthnInstant", SamlXml.Instant(content.AuthnInstant));
        statement.SetAttribute("SessionIndex", content.SessionIndex);
        var context = SamlXml.AppendSaml(statement, "AuthnContext");
        SamlXml.AppendSaml(context, "AuthnContextClassRef", content.AuthnContextClassRef);
    }

    private static void AppendAttributeStatement(XmlElement assertion, IReadOnlyList<SamlAttribute> attributes)
    {
        // saml-core §2.7.3: an AttributeStatement must hold at least one Attribute, so none means no statement.
        if (attributes.Count == 0)
        {
            return;
        }

        var statement = SamlXml.AppendSaml(assertion, "AttributeStatement");
        foreach (var attribute in attributes)
        {
            var element = SamlXml.AppendSaml(statement, "Attribute");
            element.SetAttribute("Name", attribute.Name);
            element.SetAttribute("NameFormat", EidasAttributes.NameFormatUri);
            element.SetAttribute("FriendlyName", attribute.FriendlyName);
            foreach (var value in attribute.Values)
            {
                var isDate = string.Equals(attribute.Name, EidasAttributes.DateOfBirth, StringComparison.Ordinal);
                var valueElement = SamlXml.AppendSaml(element, "AttributeValue", isDate ? DateValue(value) : value);
                valueElement.SetAttribute("type", SamlNames.XmlSchemaInstance, isDate ? "xs:date" : "xs:string");
            }
        }
    }

    /// <summary>eIDAS Attribute Profile §2.2.3: DateOfBirth is an xs:date written YYYY-MM-DD, without a time zone.</summary>
    private static string DateValue(string value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : throw new ArgumentException("A DateOfBirth value must be written yyyy-MM-dd.", nameof(value));
}
