using System.Text;
using IdentityHub.Saml.Tests.Signing;

namespace IdentityHub.Saml.Tests.Metadata;

/// <summary>
/// SP metadata shaped like @node-saml/node-saml's generateServiceProviderMetadata output: the metadata namespace as the
/// default one, an ID derived from the entityID, signing and encryption KeyDescriptors with line-wrapped certificates,
/// EncryptionMethod preferences, a POST SingleLogoutService, a NameIDFormat and one POST ACS with index 1.
/// </summary>
internal static class SpMetadataSamples
{
    public const string EntityId = "https://benefits.agency.example.gov/saml";

    public static string NodeSaml(TestKey signing, TestKey encryption, string? validUntil = null) => $"""
        <?xml version="1.0"?>
        <EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{EntityId}" ID="https___benefits_agency_example_gov_saml"{(validUntil is null ? "" : $" validUntil=\"{validUntil}\"")}>
          <SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="true" WantAssertionsSigned="true">
            <KeyDescriptor use="signing">
              <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
                <ds:X509Data>
                  <ds:X509Certificate>{Wrapped(signing)}</ds:X509Certificate>
                </ds:X509Data>
              </ds:KeyInfo>
            </KeyDescriptor>
            <KeyDescriptor use="encryption">
              <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
                <ds:X509Data>
                  <ds:X509Certificate>{Wrapped(encryption)}</ds:X509Certificate>
                </ds:X509Data>
              </ds:KeyInfo>
              <EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#aes256-gcm"/>
              <EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#aes128-gcm"/>
              <EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes256-cbc"/>
              <EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
            </KeyDescriptor>
            <SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://benefits.agency.example.gov/saml/logout"/>
            <NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</NameIDFormat>
            <AssertionConsumerService index="1" isDefault="true" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://benefits.agency.example.gov/saml/acs"/>
          </SPSSODescriptor>
        </EntityDescriptor>
        """;

    public static byte[] Bytes(string xml) => Encoding.UTF8.GetBytes(xml);

    /// <summary>node-saml strips the PEM armour and keeps the 64-character lines.</summary>
    private static string Wrapped(TestKey key)
    {
        var base64 = Convert.ToBase64String(key.Certificate.RawData);
        return string.Join("\n", base64.Chunk(64).Select(c => new string(c)));
    }
}
