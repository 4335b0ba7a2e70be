using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IdentityHub.Testing.Saml;

/// <summary>
/// A service provider made in C# (no npm peer): its RSA key and certificate (from <see cref="SpKeys"/>), its entityID and
/// two HTTP-POST ACS endpoints, and the metadata that registers it with AuthnRequestsSigned="true". Tests sign its
/// requests themselves, so they can change the XML before or after signing.
/// </summary>
public sealed class TestServiceProvider : IDisposable
{
    public const string Acs = "https://permits.agency.example/saml/acs";
    public const string SecondAcs = "https://permits.agency.example/saml/acs2";

    private TestServiceProvider(string entityId, RSA key, X509Certificate2 certificate)
    {
        EntityId = entityId;
        Key = key;
        Certificate = certificate;
    }

    public string EntityId { get; }

    public RSA Key { get; }

    /// <summary>The public certificate the metadata carries (the hub verifies with this and nothing else).</summary>
    public X509Certificate2 Certificate { get; }

    public static TestServiceProvider Create(string name = "hardening")
    {
        var keys = SpKeys.Create("SP " + name);
        var key = RSA.Create();
        key.ImportFromPem(keys.PrivateKeyPem);
        return new TestServiceProvider($"https://{name}-{Guid.NewGuid():N}.agency.example/saml", key, X509Certificate2.CreateFromPem(keys.CertificatePem));
    }

    /// <summary>saml-metadata-2.0-os §2.4.4: one signing key, two ACS (index 0 the default, index 1), persistent NameIDs.</summary>
    public string Metadata() => $"""
        <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{EntityId}">
          <md:SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
            <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{Convert.ToBase64String(Certificate.RawData)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
            <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
            <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{Acs}" index="0" isDefault="true"/>
            <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{SecondAcs}" index="1"/>
          </md:SPSSODescriptor>
        </md:EntityDescriptor>
        """;

    public void Dispose()
    {
        Key.Dispose();
        Certificate.Dispose();
    }
}
