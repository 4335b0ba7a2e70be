using IdentityHub.Saml.Metadata;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Signing;
using IdentityHub.Saml.Tests.Responses;
using IdentityHub.Saml.Tests.Signing;

namespace IdentityHub.Saml.Tests.Metadata;

/// <summary>saml-metadata §2.3.2/§2.4.3: the IdP's signed EntityDescriptor, verified by xmlsec1.</summary>
public sealed class IdpMetadataBuilderTests : IDisposable
{
    private readonly TestKey _signing = TestKey.Rsa("IdentityHub SAML signing (test)");
    private readonly TestKey _encryption = TestKey.Rsa("IdentityHub SAML encryption (test)");
    private readonly TempDirectory _files = new();

    public void Dispose()
    {
        _signing.Dispose();
        _encryption.Dispose();
        _files.Dispose();
    }

    private IdpMetadataContent Content(bool withEncryption = true, bool withOrganization = true) => new(
        Samples.IdpEntityId,
        "https://hub.identity.example.gov/saml/sso",
        "https://hub.identity.example.gov/saml/slo",
        _signing.Certificate,
        withEncryption ? _encryption.Certificate : null,
        WantAuthnRequestsSigned: true,
        new DateTimeOffset(2026, 12, 14, 0, 0, 0, TimeSpan.Zero),
        TimeSpan.FromHours(6),
        withOrganization ? "National Identity Agency" : null,
        withOrganization ? "https://identity.example.gov/" : null,
        withOrganization ? "saml-support@identity.example.gov" : null);

    [Fact]
    public void Xmlsec1_verifies_the_signed_metadata_and_refuses_it_after_a_one_byte_change()
    {
        var (certificate, _) = _signing.WritePem(_files.Path, "idp");
        var document = IdpMetadataBuilder.Build(Content());
        SamlXmlSigner.Sign(document.DocumentElement!, _signing.Key, _signing.Certificate);
        var path = SignedDocuments.Write(document, _files.File("metadata.xml"));

        var verified = Xmlsec1.Verify(certificate, path);
        var tampered = Xmlsec1.Verify(certificate, SignedDocuments.Tamper(path, "saml/sso\"", "saml/ssx\""));

        Assert.True(verified.ExitCode == 0, verified.Output);
        Assert.NotEqual(0, tampered.ExitCode);
    }

    [Fact]
    public void The_signature_is_the_first_child_and_the_descriptor_children_are_in_schema_order()
    {
        var document = IdpMetadataBuilder.Build(Content());
        SamlXmlSigner.Sign(document.DocumentElement!, _signing.Key, _signing.Certificate);

        Assert.Equal(["Signature", "IDPSSODescriptor", "Organization", "ContactPerson"], Samples.ChildNames(document.DocumentElement!));
        Assert.Equal(
            ["KeyDescriptor", "KeyDescriptor", "SingleLogoutService", "SingleLogoutService", "NameIDFormat", "NameIDFormat", "SingleSignOnService", "SingleSignOnService"],
            Samples.ChildNames(Samples.Single(document, "/md:EntityDescriptor/md:IDPSSODescriptor")));
    }

    [Fact]
    public void The_entity_and_descriptor_attributes_say_what_the_IdP_is_and_how_long_to_trust_it()
    {
        var document = IdpMetadataBuilder.Build(Content());
        var entity = document.DocumentElement!;
        var idp = Samples.Single(document, "/md:EntityDescriptor/md:IDPSSODescriptor");

        Assert.Equal(Samples.IdpEntityId, entity.GetAttribute("entityID"));
        Assert.Equal("2026-12-14T00:00:00.000Z", entity.GetAttribute("validUntil"));
        Assert.Equal("PT6H", entity.GetAttribute("cacheDuration"));
        Assert.Matches("^_[0-9a-f]{32}$", entity.GetAttribute("ID"));
        Assert.Equal(SamlNames.Protocol, idp.GetAttribute("protocolSupportEnumeration"));
        Assert.Equal("true", idp.GetAttribute("WantAuthnRequestsSigned"));
        Assert.Equal([SamlBindings.HttpRedirect, SamlBindings.HttpPost],
            document.SelectNodes("//md:SingleSignOnService/@Binding", Samples.Namespaces(document))!.Cast<System.Xml.XmlNode>().Select(n => n.Value));
        Assert.Equal("mailto:saml-support@identity.example.gov", Samples.Single(document, "//md:ContactPerson[@contactType='technical']/md:EmailAddress").InnerText);
        Assert.Equal("en", Samples.Single(document, "//md:Organization/md:OrganizationName").GetAttribute("xml:lang"));
    }

    [Fact]
    public void An_encryption_KeyDescriptor_appears_only_when_an_encryption_certificate_is_given()
    {
        var with = IdpMetadataBuilder.Build(Content());
        var without = IdpMetadataBuilder.Build(Content(withEncryption: false, withOrganization: false));

        Assert.Equal(Convert.ToBase64String(_encryption.Certificate.RawData),
            Samples.Single(with, "//md:KeyDescriptor[@use='encryption']/ds:KeyInfo/ds:X509Data/ds:X509Certificate").InnerText);
        Assert.Equal(Convert.ToBase64String(_signing.Certificate.RawData),
            Samples.Single(without, "//md:KeyDescriptor[@use='signing']/ds:KeyInfo/ds:X509Data/ds:X509Certificate").InnerText);
        Assert.Equal(0, Samples.Count(without, "//md:KeyDescriptor[@use='encryption']"));
        Assert.Equal(["IDPSSODescriptor"], Samples.ChildNames(without.DocumentElement!));
    }

    [Fact]
    public void The_SP_metadata_reader_refuses_IdP_metadata_as_an_SP()
    {
        var document = IdpMetadataBuilder.Build(Content());

        var (metadata, problem) = SpMetadataReader.Read(System.Text.Encoding.UTF8.GetBytes(document.OuterXml), DateTimeOffset.UnixEpoch);

        Assert.Null(metadata);
        Assert.Contains("has no SPSSODescriptor", problem, StringComparison.Ordinal);
    }
}
