using System.Text;
using IdentityHub.Saml.Metadata;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Tests.Signing;

namespace IdentityHub.Saml.Tests.Metadata;

/// <summary>Importing SP metadata: a realistic document is read in full; each unsafe or unusable variant is refused with a reason.</summary>
public sealed class SpMetadataReaderTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    private readonly TestKey _signing = TestKey.Rsa("SP signing (test)");
    private readonly TestKey _encryption = TestKey.Rsa("SP encryption (test)");

    public void Dispose()
    {
        _signing.Dispose();
        _encryption.Dispose();
    }

    private string Valid => SpMetadataSamples.NodeSaml(_signing, _encryption);

    [Fact]
    public void Node_saml_style_SP_metadata_is_read_in_full()
    {
        var (metadata, problem) = SpMetadataReader.Read(SpMetadataSamples.Bytes(Valid), Now);

        Assert.Null(problem);
        Assert.NotNull(metadata);
        Assert.Equal(SpMetadataSamples.EntityId, metadata.EntityId);
        Assert.True(metadata.AuthnRequestsSigned);
        Assert.True(metadata.WantAssertionsSigned);
        var acs = Assert.Single(metadata.AssertionConsumerServices);
        Assert.Equal(new SpEndpoint(SamlBindings.HttpPost, "https://benefits.agency.example.gov/saml/acs", 1, true, null), acs);
        var slo = Assert.Single(metadata.SingleLogoutServices);
        Assert.Equal(new SpEndpoint(SamlBindings.HttpPost, "https://benefits.agency.example.gov/saml/logout", null, false, null), slo);
        Assert.Equal(_signing.Certificate.Thumbprint, Assert.Single(metadata.SigningCertificates).Thumbprint);
        Assert.Equal(_encryption.Certificate.Thumbprint, Assert.Single(metadata.EncryptionCertificates).Thumbprint);
        Assert.Equal([SamlNameIdFormats.Persistent], metadata.NameIdFormats);
        Assert.Equal([SamlAlgorithms.Aes256Gcm, SamlAlgorithms.Aes128Gcm, SamlAlgorithms.Aes256Cbc, SamlAlgorithms.Aes128Cbc], metadata.EncryptionMethods);
        Assert.Null(metadata.ValidUntil);
    }

    [Fact]
    public void A_KeyDescriptor_without_use_serves_both_signing_and_encryption()
    {
        var xml = Valid.Replace("<KeyDescriptor use=\"signing\">", "<KeyDescriptor>", StringComparison.Ordinal);

        var (metadata, problem) = SpMetadataReader.Read(SpMetadataSamples.Bytes(xml), Now);

        Assert.Null(problem);
        Assert.Equal([_signing.Certificate.Thumbprint], metadata!.SigningCertificates.Select(c => c.Thumbprint));
        Assert.Equal([_signing.Certificate.Thumbprint, _encryption.Certificate.Thumbprint], metadata.EncryptionCertificates.Select(c => c.Thumbprint));
    }

    [Fact]
    public void An_EntitiesDescriptor_holding_exactly_one_entity_is_accepted_and_its_validUntil_applies()
    {
        var inner = Valid.Replace("<?xml version=\"1.0\"?>", "", StringComparison.Ordinal);
        var xml = $"<EntitiesDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\" validUntil=\"2026-12-08T00:00:00Z\">{inner}</EntitiesDescriptor>";

        var (metadata, problem) = SpMetadataReader.Read(SpMetadataSamples.Bytes(xml), Now);

        Assert.Null(problem);
        Assert.Equal(new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero), metadata!.ValidUntil);
    }

    [Fact]
    public void An_http_ACS_on_a_loopback_host_is_accepted_for_development()
    {
        var xml = Valid.Replace("https://benefits.agency.example.gov/saml/acs", "http://localhost:5001/saml/acs", StringComparison.Ordinal);

        var (metadata, problem) = SpMetadataReader.Read(SpMetadataSamples.Bytes(xml), Now);

        Assert.Null(problem);
        Assert.Equal("http://localhost:5001/saml/acs", metadata!.AssertionConsumerServices[0].Location);
    }

    [Fact]
    public void A_DTD_is_refused()
    {
        var xml = Valid.Replace("<?xml version=\"1.0\"?>", "<?xml version=\"1.0\"?>\n<!DOCTYPE EntityDescriptor [<!ENTITY x \"boom\">]>", StringComparison.Ordinal);

        AssertRefused(xml, "DTD");
    }

    [Fact]
    public void An_external_entity_never_reaches_the_file_system()
    {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>";

        AssertRefused(xml, "DTD");
    }

    [Fact]
    public void Two_EntityDescriptors_are_refused()
    {
        var inner = Valid.Replace("<?xml version=\"1.0\"?>", "", StringComparison.Ordinal);
        var second = inner.Replace(SpMetadataSamples.EntityId, "https://other.example.gov/saml", StringComparison.Ordinal);
        var xml = $"<EntitiesDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\">{inner}{second}</EntitiesDescriptor>";

        AssertRefused(xml, "2 entities");
    }

    [Fact]
    public void An_http_ACS_on_a_public_host_is_refused()
    {
        var xml = Valid.Replace("https://benefits.agency.example.gov/saml/acs", "http://benefits.agency.example.gov/saml/acs", StringComparison.Ordinal);

        AssertRefused(xml, "uses http on a host that is not loopback");
    }

    [Theory]
    [InlineData("/saml/acs")]
    [InlineData("javascript:alert(1)")]
    [InlineData("file:///etc/passwd")]
    public void An_ACS_that_is_not_an_absolute_https_URL_is_refused(string location)
    {
        var xml = Valid.Replace("https://benefits.agency.example.gov/saml/acs", location, StringComparison.Ordinal);

        var (metadata, problem) = SpMetadataReader.Read(SpMetadataSamples.Bytes(xml), Now);

        Assert.Null(metadata);
        Assert.Contains("AssertionConsumerService", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entity_without_an_SPSSODescriptor_is_refused()
    {
        var xml = Valid
            .Replace("<SPSSODescriptor ", "<IDPSSODescriptor ", StringComparison.Ordinal)
            .Replace("</SPSSODescriptor>", "</IDPSSODescriptor>", StringComparison.Ordinal);

        AssertRefused(xml, "has no SPSSODescriptor");
    }

    [Fact]
    public void An_SPSSODescriptor_for_another_protocol_only_is_refused()
    {
        var xml = Valid.Replace("protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\"",
            "protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:1.1:protocol\"", StringComparison.Ordinal);

        AssertRefused(xml, "protocolSupportEnumeration includes");
    }

    [Fact]
    public void Expired_metadata_is_refused()
    {
        var xml = SpMetadataSamples.NodeSaml(_signing, _encryption, validUntil: "2026-12-06T23:59:59Z");

        AssertRefused(xml, "expired at 2026-12-06T23:59:59.000Z");
    }

    [Fact]
    public void Metadata_still_valid_is_accepted_with_its_validUntil()
    {
        var xml = SpMetadataSamples.NodeSaml(_signing, _encryption, validUntil: "2026-12-07T00:00:01Z");

        var (metadata, problem) = SpMetadataReader.Read(SpMetadataSamples.Bytes(xml), Now);

        Assert.Null(problem);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 0, 0, 1, TimeSpan.Zero), metadata!.ValidUntil);
    }

    [Fact]
    public void Metadata_over_one_MiB_is_refused_before_parsing()
    {
        var bytes = new byte[SpMetadataReader.MaxBytes + 1];

        AssertRefused(bytes, "the limit is 1048576 bytes");
    }

    [Theory]
    [InlineData("<EntityDescriptor")]
    [InlineData("")]
    public void XML_that_is_not_well_formed_is_refused_without_an_exception(string xml)
    {
        var (metadata, problem) = SpMetadataReader.Read(Encoding.UTF8.GetBytes(xml), Now);

        Assert.Null(metadata);
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Fact]
    public void A_certificate_that_is_not_DER_is_refused()
    {
        var start = Valid.IndexOf("<ds:X509Certificate>", StringComparison.Ordinal) + "<ds:X509Certificate>".Length;
        var xml = string.Concat(Valid.AsSpan(0, start), "AAAA", Valid.AsSpan(start + 4));

        AssertRefused(xml, "not a base64 DER X.509 certificate");
    }

    [Fact]
    public void An_ACS_without_an_index_is_refused()
    {
        AssertRefused(Valid.Replace("index=\"1\" ", "", StringComparison.Ordinal), "has no valid index");
    }

    [Fact]
    public void A_WantAssertionsSigned_that_is_not_a_boolean_is_refused()
    {
        AssertRefused(Valid.Replace("WantAssertionsSigned=\"true\"", "WantAssertionsSigned=\"yes\"", StringComparison.Ordinal), "is not an xs:boolean");
    }

    [Fact]
    public void A_document_whose_root_is_not_metadata_is_refused()
    {
        AssertRefused("<html><body/></html>", "not an md:EntityDescriptor");
    }

    [Fact]
    public void Every_truncation_of_valid_metadata_is_answered_with_a_problem_and_never_an_exception()
    {
        var bytes = SpMetadataSamples.Bytes(Valid);

        for (var length = 0; length < bytes.Length - 20; length += 7)
        {
            var (metadata, problem) = SpMetadataReader.Read(bytes.AsSpan(0, length), Now);

            Assert.Null(metadata);
            Assert.False(string.IsNullOrEmpty(problem), $"No problem reported for the first {length} bytes.");
        }
    }

    private static void AssertRefused(string xml, string expected) => AssertRefused(SpMetadataSamples.Bytes(xml), expected);

    private static void AssertRefused(byte[] xml, string expected)
    {
        var (metadata, problem) = SpMetadataReader.Read(xml, Now);

        Assert.Null(metadata);
        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }
}
