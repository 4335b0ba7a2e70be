using System.Text;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Signing.Validation;
using IdentityHub.Signing.Xades;
using Microsoft.Extensions.DependencyInjection;
using Org.BouncyCastle.Tsp;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>Enveloped XAdES (ETSI EN 319 132-1) made with a citizen's key on a real hub, checked by xmlsec1 and openssl.</summary>
[Collection(HubCollection.Name)]
public sealed class XadesEnvelopedTests(HubFixture hub)
{
    // A default namespace, an attribute, a comment, a processing instruction, non-ASCII text, an escaped
    // ampersand, a CR character reference and indentation: everything canonicalisation must keep or drop exactly.
    private const string Invoice = """
        <?xml version="1.0" encoding="UTF-8"?>
        <?xml-stylesheet type="text/xsl" href="invoice.xsl"?>
        <invoice xmlns="urn:example:invoice" number="2026-0042">
          <!-- issued at the counter -->
          <payer>Mari Maasikas, Tõnismägi 3 &amp; Co</payer>
          <amount currency="EUR">12.50</amount>
          <note>line one&#13;
        line two</note>
        </invoice>
        """;

    [Theory]
    [InlineData(SignatureLevel.BaselineB)]
    [InlineData(SignatureLevel.BaselineT)]
    [InlineData(SignatureLevel.BaselineLT)]
    public async Task Xmlsec1_accepts_the_enveloped_signature_with_its_SignedProperties_referenced(SignatureLevel level)
    {
        var signer = await hub.IssueSignerAsync();
        var signed = await hub.App.Services.GetRequiredService<XadesSigner>()
            .SignEnvelopedAsync(Encoding.UTF8.GetBytes(Invoice), signer.Identity, level, CancellationToken.None);

        var dir = await XadesTools.WorkDirectoryAsync(hub, signer.Identity, "xades-env");
        await File.WriteAllBytesAsync(Path.Combine(dir, "signed.xml"), signed);
        var verified = await XadesTools.VerifyAsync(dir, "signed.xml");
        Assert.True(verified.ExitCode == 0, verified.All);
        Assert.Contains("OK", verified.All, StringComparison.Ordinal);

        var document = XadesTools.Parse(signed);
        var signature = XadesTools.Single(document, "/*[local-name()='invoice']/ds:Signature");
        Assert.Equal("urn:example:invoice", document.DocumentElement!.NamespaceURI);
        var properties = XadesTools.Single(document, "//ds:Object/xades:QualifyingProperties/xades:SignedProperties");
        var reference = XadesTools.Single(document, "//ds:SignedInfo/ds:Reference[@Type='http://uri.etsi.org/01903#SignedProperties']");
        Assert.Equal("#" + properties.GetAttribute("Id"), reference.GetAttribute("URI"));
        Assert.Equal("#" + signature.GetAttribute("Id"), ((System.Xml.XmlElement)properties.ParentNode!).GetAttribute("Target"));
        XadesTools.Single(document, "//ds:SignedInfo/ds:Reference[@URI='']/ds:Transforms/ds:Transform[@Algorithm='http://www.w3.org/2000/09/xmldsig#enveloped-signature']");
        Assert.Equal("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
            XadesTools.Single(document, "//ds:SignedInfo/ds:SignatureMethod").GetAttribute("Algorithm"));
        Assert.Equal(Convert.ToBase64String(signer.Identity.CertificateDer),
            XadesTools.Single(document, "//ds:KeyInfo/ds:X509Data/ds:X509Certificate").InnerText);
        Assert.Equal(Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(signer.Identity.CertificateDer)),
            XadesTools.Single(document, "//xades:SigningCertificateV2/xades:Cert/xades:CertDigest/ds:DigestValue").InnerText);
        Assert.Equal("text/xml", XadesTools.Single(document, "//xades:DataObjectFormat/xades:MimeType").InnerText);
        var timeStamps = document.SelectNodes("//xades:SignatureTimeStamp", XadesTools.Namespaces(document))!.Count;
        Assert.Equal(level == SignatureLevel.BaselineB ? 0 : 1, timeStamps);
    }

    [Fact]
    public async Task Xmlsec1_refuses_the_signature_once_SigningTime_inside_SignedProperties_is_altered()
    {
        var signer = await hub.IssueSignerAsync();
        var signed = await hub.App.Services.GetRequiredService<XadesSigner>()
            .SignEnvelopedAsync(Encoding.UTF8.GetBytes(Invoice), signer.Identity, SignatureLevel.BaselineB, CancellationToken.None);
        var dir = await XadesTools.WorkDirectoryAsync(hub, signer.Identity, "xades-time");
        await File.WriteAllBytesAsync(Path.Combine(dir, "signed.xml"), signed);
        Assert.Equal(0, (await XadesTools.VerifyAsync(dir, "signed.xml")).ExitCode);

        // Only the SigningTime text changes (same length, byte for byte elsewhere), so the data reference still matches
        // and the failure can only come from the SignedProperties reference.
        var signingTime = XadesTools.Single(XadesTools.Parse(signed), "//xades:SignedProperties/xades:SignedSignatureProperties/xades:SigningTime").InnerText;
        var text = Encoding.UTF8.GetString(signed);
        var altered = text.Replace($">{signingTime}<", ">2001-01-01T00:00:00Z<", StringComparison.Ordinal);
        Assert.NotEqual(text, altered);
        Assert.Equal(signingTime.Length, "2001-01-01T00:00:00Z".Length);
        await File.WriteAllBytesAsync(Path.Combine(dir, "altered.xml"), Encoding.UTF8.GetBytes(altered));
        var refused = await XadesTools.VerifyAsync(dir, "altered.xml");
        Assert.NotEqual(0, refused.ExitCode);
    }

    [Fact]
    public async Task Xmlsec1_refuses_the_signature_once_one_byte_of_the_signed_document_is_flipped()
    {
        var signer = await hub.IssueSignerAsync();
        var signed = await hub.App.Services.GetRequiredService<XadesSigner>()
            .SignEnvelopedAsync(Encoding.UTF8.GetBytes(Invoice), signer.Identity, SignatureLevel.BaselineB, CancellationToken.None);
        var dir = await XadesTools.WorkDirectoryAsync(hub, signer.Identity, "xades-flip");
        await File.WriteAllBytesAsync(Path.Combine(dir, "signed.xml"), signed);
        Assert.Equal(0, (await XadesTools.VerifyAsync(dir, "signed.xml")).ExitCode);

        var at = Encoding.UTF8.GetString(signed).IndexOf("12.50", StringComparison.Ordinal);
        Assert.True(at > 0);
        var flipped = (byte[])signed.Clone();
        flipped[at + 1] = (byte)'3'; // 12.50 -> 13.50, still well-formed
        await File.WriteAllBytesAsync(Path.Combine(dir, "flipped.xml"), flipped);
        var refused = await XadesTools.VerifyAsync(dir, "flipped.xml");
        Assert.NotEqual(0, refused.ExitCode);
    }

    [Fact]
    public async Task The_B_T_signature_time_stamp_covers_the_exclusive_canonical_SignatureValue_and_openssl_verifies_it()
    {
        var signer = await hub.IssueSignerAsync();
        var signed = await hub.App.Services.GetRequiredService<XadesSigner>()
            .SignEnvelopedAsync(Encoding.UTF8.GetBytes(Invoice), signer.Identity, SignatureLevel.BaselineT, CancellationToken.None);
        var document = XadesTools.Parse(signed);
        var timeStamp = XadesTools.Single(document, "//xades:UnsignedSignatureProperties/xades:SignatureTimeStamp");
        Assert.Equal("http://www.w3.org/2001/10/xml-exc-c14n#",
            XadesTools.Single(document, "//xades:SignatureTimeStamp/ds:CanonicalizationMethod").GetAttribute("Algorithm"));
        var token = Convert.FromBase64String(XadesTools.Single(document, "//xades:SignatureTimeStamp/xades:EncapsulatedTimeStamp").InnerText);
        Assert.NotNull(timeStamp);

        var dir = await XadesTools.WorkDirectoryAsync(hub, signer.Identity, "xades-ts");
        var canonical = XadesTools.CanonicalSignatureValue(document);
        Assert.StartsWith("<ds:SignatureValue xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"", Encoding.UTF8.GetString(canonical), StringComparison.Ordinal);
        await File.WriteAllBytesAsync(Path.Combine(dir, "token.der"), token);
        await File.WriteAllBytesAsync(Path.Combine(dir, "signature-value.c14n"), canonical);
        var verified = await Openssl.RunAsync(dir, "ts", "-verify", "-token_in", "-in", "token.der", "-data", "signature-value.c14n", "-CAfile", "root.pem");
        Assert.True(verified.ExitCode == 0, verified.All);

        // The same token does not cover another signature value (the imprint is checked, not just the token's signature).
        await File.WriteAllBytesAsync(Path.Combine(dir, "other.c14n"), [.. canonical.Take(canonical.Length - 30), .. "AAAA"u8, .. canonical.TakeLast(26)]);
        var refused = await Openssl.RunAsync(dir, "ts", "-verify", "-token_in", "-in", "token.der", "-data", "other.c14n", "-CAfile", "root.pem");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.True(new TimeStampToken(new Org.BouncyCastle.Cms.CmsSignedData(token)).TimeStampInfo.GenTime <= DateTime.UtcNow.AddMinutes(1));
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("iso-8859-1")]
    public async Task A_document_in_another_encoding_is_signed_and_comes_back_as_UTF_8_that_xmlsec1_accepts(string encodingName)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var encoding = Encoding.GetEncoding(encodingName);
        var xml = $"<?xml version=\"1.0\" encoding=\"{encodingName}\"?>\n<kiri keel=\"et\">Jõgeva, Pärnu &amp; Võru</kiri>";
        var input = encoding.GetPreamble().Concat(encoding.GetBytes(xml)).ToArray();
        var signer = await hub.IssueSignerAsync();
        var signed = await hub.App.Services.GetRequiredService<XadesSigner>()
            .SignEnvelopedAsync(input, signer.Identity, SignatureLevel.BaselineB, CancellationToken.None);

        var text = Encoding.UTF8.GetString(signed);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", text, StringComparison.Ordinal);
        Assert.Contains("Jõgeva, Pärnu &amp; Võru", text, StringComparison.Ordinal);
        var dir = await XadesTools.WorkDirectoryAsync(hub, signer.Identity, "xades-enc");
        await File.WriteAllBytesAsync(Path.Combine(dir, "signed.xml"), signed);
        var verified = await XadesTools.VerifyAsync(dir, "signed.xml");
        Assert.True(verified.ExitCode == 0, verified.All);
    }

    [Theory]
    // The document binds the signature's own prefixes to other namespaces: the signature must redeclare them.
    [InlineData("<ds:r xmlns:ds=\"urn:not-xmldsig\" xmlns:xades=\"urn:not-xades\"><xades:v>1</xades:v></ds:r>")]
    // xml:lang, xml:space and an unused namespace on the root: exclusive c14n leaves them off the signature's parts.
    [InlineData("<r xml:lang=\"et\" xml:space=\"preserve\" xmlns:unused=\"urn:unused\" xmlns=\"urn:default\">  <a b=\"tab&#9;nl&#10;\"/>  </r>")]
    // A namespace-qualified attribute and an empty default namespace undeclaration in content.
    [InlineData("<p:r xmlns:p=\"urn:p\" p:at=\"1\"><c xmlns=\"\">text</c></p:r>")]
    public async Task Xmlsec1_accepts_enveloped_signatures_on_documents_with_colliding_or_inherited_namespaces(string xml)
    {
        var signer = await hub.IssueSignerAsync();
        var signed = await hub.App.Services.GetRequiredService<XadesSigner>()
            .SignEnvelopedAsync(Encoding.UTF8.GetBytes(xml), signer.Identity, SignatureLevel.BaselineT, CancellationToken.None);
        var dir = await XadesTools.WorkDirectoryAsync(hub, signer.Identity, "xades-ns");
        await File.WriteAllBytesAsync(Path.Combine(dir, "signed.xml"), signed);
        var verified = await XadesTools.VerifyAsync(dir, "signed.xml");
        Assert.True(verified.ExitCode == 0, verified.All + Encoding.UTF8.GetString(signed));

        // The time-stamp still covers the canonical SignatureValue as openssl sees it.
        var document = XadesTools.Parse(signed);
        var token = Convert.FromBase64String(XadesTools.Single(document, "//xades:SignatureTimeStamp/xades:EncapsulatedTimeStamp").InnerText);
        await File.WriteAllBytesAsync(Path.Combine(dir, "token.der"), token);
        await File.WriteAllBytesAsync(Path.Combine(dir, "signature-value.c14n"), XadesTools.CanonicalSignatureValue(document));
        var stamped = await Openssl.RunAsync(dir, "ts", "-verify", "-token_in", "-in", "token.der", "-data", "signature-value.c14n", "-CAfile", "root.pem");
        Assert.True(stamped.ExitCode == 0, stamped.All);
    }
}
