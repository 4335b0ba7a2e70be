using System.Security.Cryptography.X509Certificates;
using System.Xml;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Metadata;

/// <summary>
/// The IdP's EntityDescriptor (saml-metadata-2.0-os §2.3.2) with one IDPSSODescriptor (§2.4.3). Children in schema order;
/// the caller signs the root with SamlXmlSigner.Sign, which puts ds:Signature first (§2.3.2).
/// </summary>
internal static class IdpMetadataBuilder
{
    public static XmlDocument Build(IdpMetadataContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var document = SamlXml.NewDocument();
        var entity = Md(document, "EntityDescriptor");
        SamlXml.Declare(entity, SamlXml.MdPrefix, SamlNames.Metadata);
        SamlXml.Declare(entity, SamlXml.DsPrefix, SamlNames.XmlDsig);
        entity.SetAttribute("ID", SamlIds.New());
        entity.SetAttribute("entityID", content.EntityId);
        entity.SetAttribute("validUntil", SamlXml.Instant(content.ValidUntil));
        entity.SetAttribute("cacheDuration", XmlConvert.ToString(content.CacheDuration));
        document.AppendChild(entity);

        // §2.4.3 IDPSSODescriptor: RoleDescriptor (KeyDescriptor*), SSODescriptor (SingleLogoutService*, NameIDFormat*),
        // then SingleSignOnService+.
        var idp = Append(entity, "IDPSSODescriptor");
        idp.SetAttribute("protocolSupportEnumeration", SamlNames.Protocol);
        idp.SetAttribute("WantAuthnRequestsSigned", content.WantAuthnRequestsSigned ? "true" : "false");
        AppendKeyDescriptor(idp, "signing", content.SigningCertificate);
        if (content.EncryptionCertificate is not null)
        {
            AppendKeyDescriptor(idp, "encryption", content.EncryptionCertificate);
        }

        if (content.SloUrl is { } slo)
        {
            // Published only once the IdP serves it: an SP would otherwise send LogoutRequests nobody answers.
            AppendEndpoint(idp, "SingleLogoutService", SamlBindings.HttpRedirect, slo);
            AppendEndpoint(idp, "SingleLogoutService", SamlBindings.HttpPost, slo);
        }

        Append(idp, "NameIDFormat", SamlNameIdFormats.Persistent);
        Append(idp, "NameIDFormat", SamlNameIdFormats.Transient);
        AppendEndpoint(idp, "SingleSignOnService", SamlBindings.HttpRedirect, content.SsoUrl);
        AppendEndpoint(idp, "SingleSignOnService", SamlBindings.HttpPost, content.SsoUrl);

        AppendOrganization(entity, content);
        AppendTechnicalContact(entity, content.TechnicalContactEmail);
        return document;
    }

    /// <summary>§2.4.1.1 KeyDescriptor: ds:KeyInfo/ds:X509Data/ds:X509Certificate (the certificate only, no chain).</summary>
    private static void AppendKeyDescriptor(XmlElement role, string use, X509Certificate2 certificate)
    {
        var descriptor = Append(role, "KeyDescriptor");
        descriptor.SetAttribute("use", use);
        var document = role.OwnerDocument;
        var keyInfo = SamlXml.Append(descriptor, document.CreateElement(SamlXml.DsPrefix, "KeyInfo", SamlNames.XmlDsig), null);
        var x509Data = SamlXml.Append(keyInfo, document.CreateElement(SamlXml.DsPrefix, "X509Data", SamlNames.XmlDsig), null);
        SamlXml.Append(x509Data, document.CreateElement(SamlXml.DsPrefix, "X509Certificate", SamlNames.XmlDsig), Convert.ToBase64String(certificate.RawData));
    }

    private static void AppendEndpoint(XmlElement role, string name, string binding, string location)
    {
        var endpoint = Append(role, name);
        endpoint.SetAttribute("Binding", binding);
        endpoint.SetAttribute("Location", location);
    }

    /// <summary>§2.3.2.1 Organization: Name, DisplayName and URL are each required, so it appears only with a name and a URL.</summary>
    private static void AppendOrganization(XmlElement entity, IdpMetadataContent content)
    {
        if (content.OrganizationName is null || content.OrganizationUrl is null)
        {
            return;
        }

        var organization = Append(entity, "Organization");
        Localized(Append(organization, "OrganizationName", content.OrganizationName));
        Localized(Append(organization, "OrganizationDisplayName", content.OrganizationName));
        Localized(Append(organization, "OrganizationURL", content.OrganizationUrl));
    }

    /// <summary>§2.3.2.2 ContactPerson; EmailAddress is an anyURI, so a mailto: URI.</summary>
    private static void AppendTechnicalContact(XmlElement entity, string? email)
    {
        if (email is null)
        {
            return;
        }

        var contact = Append(entity, "ContactPerson");
        contact.SetAttribute("contactType", "technical");
        Append(contact, "EmailAddress", email.StartsWith("mailto:", StringComparison.Ordinal) ? email : "mailto:" + email);
    }

    /// <summary>§2.2.5 localizedNameType and localizedURIType carry a required xml:lang.</summary>
    private static void Localized(XmlElement element)
    {
        var lang = element.OwnerDocument.CreateAttribute("xml:lang", "http://www.w3.org/XML/1998/namespace");
        lang.Value = "en";
        element.SetAttributeNode(lang);
    }

    private static XmlElement Append(XmlElement parent, string localName, string? text = null) =>
        SamlXml.Append(parent, Md(parent.OwnerDocument, localName), text);

    private static XmlElement Md(XmlDocument document, string localName) =>
        document.CreateElement(SamlXml.MdPrefix, localName, SamlNames.Metadata);
}
