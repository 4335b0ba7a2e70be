using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Signing;

namespace IdentityHub.Benchmarks.Saml;

/// <summary>
/// One answer of each case must be what the figures claim, or they are of something else: a Success Response whose
/// signatures (the response's when it is signed, always the assertion's) verify with the IdP certificate from the hub's
/// metadata, and whose assertion is encrypted (AES-GCM, key by RSA-OAEP) to the SP exactly when it should be.
/// </summary>
internal static class AnswerCheck
{
    public static void Check(string html, BenchSp sp, X509Certificate2 idp, bool signResponse, bool encrypted)
    {
        var base64 = Testing.HubWebClient.HiddenValue(html, "SAMLResponse") ?? throw Fail(sp, "the answer page has no SAMLResponse");
        var response = Load(Encoding.UTF8.GetString(Convert.FromBase64String(base64)));
        var root = response.DocumentElement!;
        if (root["Status", SamlNames.Protocol]?["StatusCode", SamlNames.Protocol]?.GetAttribute("Value") != SamlStatus.Success)
        {
            throw Fail(sp, "the Response is not a Success");
        }

        if (signResponse != HasSignature(root) || (signResponse && !Verifies(response, root, idp)))
        {
            throw Fail(sp, signResponse ? "the Response's signature is missing or does not verify" : "the Response is signed though the SP is set up for the assertion only");
        }

        var encryptedAssertion = root["EncryptedAssertion", SamlNames.Assertion];
        if (encrypted != encryptedAssertion is not null)
        {
            throw Fail(sp, encrypted ? "the assertion is not encrypted" : "the assertion is encrypted");
        }

        var assertionDocument = encryptedAssertion is null ? response : Load(Decrypt(encryptedAssertion, sp.EncryptionKey!));
        var assertion = encryptedAssertion is null ? root["Assertion", SamlNames.Assertion] : assertionDocument.DocumentElement;
        if (assertion is null || !HasSignature(assertion) || !Verifies(assertionDocument, assertion, idp))
        {
            throw Fail(sp, "the assertion's signature is missing or does not verify");
        }
    }

    private static bool HasSignature(XmlElement element) => element["Signature", SamlNames.XmlDsig] is not null;

    private static bool Verifies(XmlDocument document, XmlElement signed, X509Certificate2 idp)
    {
        var signedXml = new IdOnlySignedXml(document);
        signedXml.LoadXml(signed["Signature", SamlNames.XmlDsig]!);
        using var key = idp.GetRSAPublicKey()!;
        return signedXml.CheckSignature(key) && signedXml.SignedInfo!.References.Cast<System.Security.Cryptography.Xml.Reference>().Single().Uri == "#" + signed.GetAttribute("ID");
    }

    /// <summary>xmlenc: the EncryptedKey's CipherValue unwrapped with the SP's key (rsa-oaep-mgf1p), then AES-GCM (IV ‖ ciphertext ‖ tag).</summary>
    private static string Decrypt(XmlElement encryptedAssertion, RSA spKey)
    {
        var manager = new XmlNamespaceManager(encryptedAssertion.OwnerDocument.NameTable);
        manager.AddNamespace("xenc", SamlNames.XmlEnc);
        manager.AddNamespace("ds", SamlNames.XmlDsig);
        var wrapped = Convert.FromBase64String(encryptedAssertion.SelectSingleNode("xenc:EncryptedData/ds:KeyInfo/xenc:EncryptedKey/xenc:CipherData/xenc:CipherValue", manager)!.InnerText);
        var data = Convert.FromBase64String(encryptedAssertion.SelectSingleNode("xenc:EncryptedData/xenc:CipherData/xenc:CipherValue", manager)!.InnerText);
        var key = spKey.Decrypt(wrapped, RSAEncryptionPadding.OaepSHA1);
        var plaintext = new byte[data.Length - 12 - 16];
        using (var gcm = new AesGcm(key, 16))
        {
            gcm.Decrypt(data.AsSpan(0, 12), data.AsSpan(12, plaintext.Length), data.AsSpan(12 + plaintext.Length), plaintext);
        }

        return Encoding.UTF8.GetString(plaintext);
    }

    private static XmlDocument Load(string xml)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        document.Load(reader);
        return document;
    }

    private static InvalidOperationException Fail(BenchSp sp, string problem) => new($"a benchmark answer for SP '{sp.Name}' is wrong: {problem}");
}
