using System.Xml;
using IdentityHub.Signing.Validation;

namespace IdentityHub.Signing.Tests.XmlValidation;

/// <summary>
/// Each check of the XAdES reader, shown to matter by altering one node of a good corpus signature: without the check,
/// the flag named in the test would stay true.
/// </summary>
public sealed class XadesMutationTests
{
    private const string Lta = "xades/data2sign-signed-xades-enveloped-baseline-lta.xml";
    private const string Detached = "xades/Signature-X-HU_MIC-1.xml";
    private const string Enveloping = "xades/10963_signed.xml";

    [Theory]
    [InlineData(Lta)]
    [InlineData(Detached)]
    [InlineData(Enveloping)]
    public async Task Unchanged_after_reserialising_everything_holds(string file)
    {
        SignatureEvidence signature = await XmlMutation.ReadAsync(file, mutate: null);

        Assert.True(signature.DataIntact, signature.DataProblem);
        Assert.True(signature.SignatureIntact);
        Assert.True(signature.SigningCertificateReferenceMatches);
    }

    [Fact]
    public async Task Altered_DigestValue_breaks_the_reference_and_the_signature()
    {
        SignatureEvidence signature = await XmlMutation.ReadAsync(Lta, d => XmlMutation.FlipBase64(XmlMutation.Select(d, "//ds:SignedInfo/ds:Reference[1]/ds:DigestValue")));

        Assert.False(signature.DataIntact);
        Assert.Contains("digest does not match", signature.DataProblem, StringComparison.Ordinal);
        Assert.False(signature.SignatureIntact);
    }

    [Theory]
    [InlineData(Lta)]
    [InlineData(Detached)]
    public async Task Altered_SignatureValue_is_not_intact_while_the_data_is(string file)
    {
        SignatureEvidence signature = await XmlMutation.ReadAsync(file, d => XmlMutation.FlipBase64(XmlMutation.Select(d, "//ds:SignatureValue")));

        Assert.True(signature.DataIntact, signature.DataProblem);
        Assert.False(signature.SignatureIntact);
    }

    [Fact]
    public async Task Altered_enveloping_document_text_is_a_data_failure_only()
    {
        SignatureEvidence signature = await XmlMutation.ReadAsync(Lta, d =>
        {
            XmlNode text = XmlMutation.Select(d, "(/*/*[not(self::ds:Signature)]//text()[normalize-space()])[1]");
            text.Value += "x";
        });

        Assert.False(signature.DataIntact);
        Assert.True(signature.SignatureIntact);
    }

    [Fact]
    public async Task Altered_enveloped_object_is_a_data_failure_only()
    {
        SignatureEvidence signature = await XmlMutation.ReadAsync(Enveloping, d =>
        {
            XmlNode signed = XmlMutation.Select(d, "//ds:Object[@Id='SignedObject-1516693867353']/text()[1]");
            signed.Value = signed.Value!.Replace("0000000048", "0000000049", StringComparison.Ordinal);
        });

        Assert.False(signature.DataIntact);
        Assert.Contains("SignedObject-1516693867353", signature.DataProblem, StringComparison.Ordinal);
        Assert.True(signature.SignatureIntact);
    }

    [Fact]
    public async Task Altered_detached_original_is_a_data_failure_only()
    {
        var input = SignatureCorpus.Input(Detached);
        var altered = input.DetachedContents.Select(f => f with { Content = "test dot"u8.ToArray() }).ToList();

        SignatureEvidence signature = await XmlMutation.ReadAsync(input.Document.ToArray(), altered);

        Assert.False(signature.DataIntact);
        Assert.True(signature.SignatureIntact);
    }

    [Fact]
    public async Task Missing_detached_original_is_not_found()
    {
        SignatureEvidence signature = await XmlMutation.ReadAsync(SignatureCorpus.Read(Detached), detached: []);

        Assert.False(signature.DataIntact);
        Assert.Contains("doc.txt", signature.DataProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Altered_SigningTime_breaks_the_SignedProperties_reference()
    {
        SignatureEvidence signature = await XmlMutation.ReadAsync(Lta, d => XmlMutation.Select(d, "//xades:SigningTime").InnerText = "2001-01-01T00:00:00Z");

        Assert.False(signature.DataIntact);
        Assert.True(signature.SignatureIntact);
    }

    [Theory]
    [InlineData(Lta, "//xades:SigningCertificateV2/xades:Cert[1]/xades:CertDigest/ds:DigestValue")]
    [InlineData(Detached, "//xades:SigningCertificate/xades:Cert[1]/xades:CertDigest/ds:DigestValue")]
    public async Task Altered_SigningCertificate_digest_does_not_name_the_signer(string file, string xpath)
    {
        SignatureEvidence signature = await XmlMutation.ReadAsync(file, d => XmlMutation.FlipBase64(XmlMutation.Select(d, xpath)));

        Assert.False(signature.SigningCertificateReferenceMatches);
        Assert.True(signature.SignatureIntact);
        Assert.NotNull(signature.SigningCertificate);
    }

    [Fact]
    public async Task Altered_SigningCertificate_serial_number_does_not_name_the_signer()
    {
        SignatureEvidence signature = await XmlMutation.ReadAsync(Detached, d =>
        {
            XmlNode serial = XmlMutation.Select(d, "//xades:SigningCertificate/xades:Cert[1]/xades:IssuerSerial/ds:X509SerialNumber");
            serial.InnerText = (System.Numerics.BigInteger.Parse(serial.InnerText, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        });

        Assert.False(signature.SigningCertificateReferenceMatches);
    }

    [Fact]
    public async Task Duplicated_Id_is_signature_wrapping_and_resolves_nothing()
    {
        SignatureEvidence signature = await XmlMutation.ReadAsync(Lta, d =>
        {
            XmlNode properties = XmlMutation.Select(d, "//xades:SignedProperties");
            d.DocumentElement!.AppendChild(properties.CloneNode(deep: true));
        });

        Assert.False(signature.DataIntact);
        Assert.Contains("2 elements have Id", signature.DataProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedProperties_moved_away_from_the_reference_are_not_signed()
    {
        // Wrapping: the reference still finds an identical copy (its digest holds), but the properties read are another element.
        SignatureEvidence signature = await XmlMutation.ReadAsync(Lta, d =>
        {
            var properties = (XmlElement)XmlMutation.Select(d, "//xades:SignedProperties");
            XmlElement decoy = d.CreateElement("ds", "Object", "http://www.w3.org/2000/09/xmldsig#");
            decoy.AppendChild(properties.CloneNode(deep: true));
            XmlMutation.Select(d, "//ds:Signature").AppendChild(decoy);
            properties.SetAttribute("Id", "wrapped");
        });

        Assert.True(signature.DataIntact, signature.DataProblem);
        Assert.True(signature.SignatureIntact);
        Assert.False(signature.SigningCertificateReferenceMatches);
        Assert.Equal(SignatureLevel.None, signature.ClaimedLevel);
        Assert.Null(signature.ClaimedSigningTime);
    }

    [Fact]
    public async Task QualifyingProperties_targeting_another_signature_are_ignored()
    {
        SignatureEvidence signature = await XmlMutation.ReadAsync(Lta, d => ((XmlElement)XmlMutation.Select(d, "//xades:QualifyingProperties")).SetAttribute("Target", "#another"));

        Assert.Equal(SignatureLevel.None, signature.ClaimedLevel);
        Assert.False(signature.SigningCertificateReferenceMatches);
        Assert.Empty(signature.SignatureTimestamps);
    }

    [Fact]
    public async Task Altered_SignatureValue_fails_the_signature_timestamp_imprint()
    {
        SignatureEvidence signature = await XmlMutation.ReadAsync(Lta, d => XmlMutation.FlipBase64(XmlMutation.Select(d, "//ds:SignatureValue")));

        Assert.False(Assert.Single(signature.SignatureTimestamps).ImprintMatches);
    }

    [Fact]
    public async Task Altered_validation_data_fails_the_archive_timestamp_only()
    {
        SignatureEvidence signature = await XmlMutation.ReadAsync(Lta, d => XmlMutation.FlipBase64(XmlMutation.Select(d, "//xades:RevocationValues//xades:EncapsulatedOCSPValue")));

        Assert.True(Assert.Single(signature.SignatureTimestamps).ImprintMatches);
        TimestampEvidence archive = Assert.Single(signature.ArchiveTimestamps);
        Assert.False(archive.ImprintMatches);
        Assert.True(signature.DataIntact, signature.DataProblem);
    }

    [Theory]
    [InlineData("//ds:SignedInfo/ds:CanonicalizationMethod/@Algorithm", "http://www.w3.org/TR/1999/REC-xslt-19991116")]
    [InlineData("//ds:SignedInfo/ds:SignatureMethod/@Algorithm", "http://www.w3.org/2000/09/xmldsig#dsa-sha1")]
    public async Task Unsupported_SignedInfo_algorithms_are_format_problems(string xpath, string algorithm)
    {
        SignatureEvidence signature = await XmlMutation.ReadAsync(Lta, d => XmlMutation.Select(d, xpath).Value = algorithm);

        Assert.NotNull(signature.FormatProblem);
        Assert.Null(signature.SignatureIntact);
    }

    [Fact]
    public async Task Unsupported_reference_transform_is_a_format_problem_not_a_guess()
    {
        SignatureEvidence signature = await XmlMutation.ReadAsync(Lta, d =>
            XmlMutation.Select(d, "//ds:SignedInfo/ds:Reference[1]/ds:Transforms/ds:Transform[1]/@Algorithm").Value = "http://www.w3.org/TR/1999/REC-xslt-19991116");

        Assert.Contains("unsupported transform", signature.FormatProblem, StringComparison.Ordinal);
        Assert.Null(signature.DataIntact);
    }

    [Fact]
    public async Task Other_XPath_filters_are_not_evaluated()
    {
        SignatureEvidence signature = await XmlMutation.ReadAsync(Lta, d => XmlMutation.Select(d, "//ds:XPath").InnerText = "true()");

        Assert.Contains("unsupported transform", signature.FormatProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signature_without_SignatureValue_is_a_format_problem()
    {
        SignatureEvidence signature = await XmlMutation.ReadAsync(Lta, d =>
        {
            XmlNode value = XmlMutation.Select(d, "//ds:SignatureValue");
            value.ParentNode!.RemoveChild(value);
        });

        Assert.NotNull(signature.FormatProblem);
        Assert.Null(signature.DataIntact);
    }

    [Fact]
    public async Task Signature_with_two_SignedInfo_is_a_format_problem()
    {
        SignatureEvidence signature = await XmlMutation.ReadAsync(Lta, d =>
        {
            XmlNode signedInfo = XmlMutation.Select(d, "//ds:SignedInfo");
            signedInfo.ParentNode!.AppendChild(signedInfo.CloneNode(deep: true));
        });

        Assert.NotNull(signature.FormatProblem);
    }

    [Fact]
    public async Task Too_many_references_are_refused_before_any_is_processed()
    {
        SignatureEvidence signature = await XmlMutation.ReadAsync(Lta, d =>
        {
            XmlNode reference = XmlMutation.Select(d, "//ds:SignedInfo/ds:Reference[1]");
            for (int i = 0; i < global::IdentityHub.Signing.Validation.Xades.XadesSignatureReader.MaxReferences; i++)
            {
                reference.ParentNode!.AppendChild(reference.CloneNode(deep: true));
            }
        });

        Assert.Contains("more than", signature.FormatProblem, StringComparison.Ordinal);
        Assert.Null(signature.DataIntact);
    }
}
