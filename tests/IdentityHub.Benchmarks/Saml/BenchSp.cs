using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Benchmarks.Saml;

/// <summary>
/// A service provider as the benchmark plays it: an RSA-2048 signing key and self-signed certificate (as most SPs have),
/// optionally an RSA-2048 encryption key, its metadata, and signed HTTP-Redirect AuthnRequests (saml-bindings-2.0-os
/// §3.4.4.1: DEFLATE, base64, URL-encoding, RSA-SHA256 over the query), each with a fresh ID for the hub's replay cache.
/// </summary>
internal sealed class BenchSp : IDisposable
{
    private readonly RSA _signing;

    private BenchSp(string name, string entityId, string acs, RSA signing, X509Certificate2 signingCertificate, RSA? encryption, X509Certificate2? encryptionCertificate)
    {
        Name = name;
        EntityId = entityId;
        Acs = acs;
        _signing = signing;
        SigningCertificate = signingCertificate;
        EncryptionKey = encryption;
        EncryptionCertificate = encryptionCertificate;
    }

    public string Name { get; }

    public string EntityId { get; }

    public string Acs { get; }

    public X509Certificate2 SigningCertificate { get; }

    /// <summary>The SP's private decryption key: the benchmark decrypts one answer per round to check it.</summary>
    public RSA? EncryptionKey { get; }

    public X509Certificate2? EncryptionCertificate { get; }

    public static BenchSp Create(string name, bool encryption)
    {
        var host = $"sp-{name}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.agency.example";
        var signing = RSA.Create(2048);
        var encrypting = encryption ? RSA.Create(2048) : null;
        return new BenchSp(name, $"https://{host}/saml", $"https://{host}/saml/acs", signing, Certificate(signing, host + " signing"),
            encrypting, encrypting is null ? null : Certificate(encrypting, host + " encryption"));
    }

    /// <summary>SP metadata (saml-metadata-2.0-os §2.4.4): signing and, when there is one, encryption KeyDescriptors, one POST ACS.</summary>
    public byte[] Metadata()
    {
        var encryption = EncryptionCertificate is null ? "" : $"""
                <KeyDescriptor use="encryption">
                  <ds:KeyInfo><ds:X509Data><ds:X509Certificate>{Convert.ToBase64String(EncryptionCertificate.RawData)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
                  <EncryptionMethod Algorithm="{SamlAlgorithms.Aes256Gcm}"/>
                </KeyDescriptor>
            """;
        return Encoding.UTF8.GetBytes($"""
            <?xml version="1.0"?>
            <EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{EntityId}">
              <SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="true" WantAssertionsSigned="true">
                <KeyDescriptor use="signing">
                  <ds:KeyInfo><ds:X509Data><ds:X509Certificate>{Convert.ToBase64String(SigningCertificate.RawData)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
                </KeyDescriptor>
            {encryption}
                <NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</NameIDFormat>
                <AssertionConsumerService index="1" isDefault="true" Binding="{SamlBindings.HttpPost}" Location="{Acs}"/>
              </SPSSODescriptor>
            </EntityDescriptor>
            """);
    }

    /// <summary><paramref name="count"/> signed requests (path and query of GET /saml/sso), made by <paramref name="workers"/> threads; not timed.</summary>
    public string[] MakeRequests(string ssoUrl, int count, int workers)
    {
        var requests = new string[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = workers }, i => requests[i] = Request(ssoUrl, "bench-" + i.ToString(CultureInfo.InvariantCulture)));
        return requests;
    }

    /// <summary>One AuthnRequest by HTTP-Redirect: "/saml/sso?SAMLRequest=…&amp;RelayState=…&amp;SigAlg=…&amp;Signature=…".</summary>
    public string Request(string ssoUrl, string relayState)
    {
        var id = "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var xml = $"""<samlp:AuthnRequest xmlns:samlp="{SamlNames.Protocol}" xmlns:saml="{SamlNames.Assertion}" ID="{id}" Version="2.0" IssueInstant="{now}" Destination="{ssoUrl}" AssertionConsumerServiceURL="{Acs}" ProtocolBinding="{SamlBindings.HttpPost}"><saml:Issuer>{EntityId}</saml:Issuer><samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" AllowCreate="true"/></samlp:AuthnRequest>""";
        using var deflated = new MemoryStream();
        using (var deflate = new DeflateStream(deflated, CompressionLevel.Optimal))
        {
            deflate.Write(Encoding.UTF8.GetBytes(xml));
        }

        var query = "SAMLRequest=" + Uri.EscapeDataString(Convert.ToBase64String(deflated.ToArray()))
            + "&RelayState=" + Uri.EscapeDataString(relayState)
            + "&SigAlg=" + Uri.EscapeDataString(SamlAlgorithms.RsaSha256);
        var signature = _signing.SignData(Encoding.ASCII.GetBytes(query), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return "/saml/sso?" + query + "&Signature=" + Uri.EscapeDataString(Convert.ToBase64String(signature));
    }

    public void Dispose()
    {
        _signing.Dispose();
        EncryptionKey?.Dispose();
        SigningCertificate.Dispose();
        EncryptionCertificate?.Dispose();
    }

    private static X509Certificate2 Certificate(RSA key, string commonName)
    {
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + commonName), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));
    }
}
