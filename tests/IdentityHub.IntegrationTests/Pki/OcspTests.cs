using System.Net.Http.Headers;
using System.Security.Cryptography;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Pki;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;

namespace IdentityHub.IntegrationTests.Pki;

[Collection(HubCollection.Name)]
public sealed class OcspTests(HubFixture hub)
{
    private string Url => hub.BaseAddress + "pki/ocsp";

    [Fact]
    public async Task Openssl_sees_good_then_revoked_with_reason_and_a_verified_signature()
    {
        var issued = await hub.IssueAsync();
        var leaf = await Pem.WriteCertificateAsync(hub.PathOf($"ocsp-{issued.SerialNumber}.pem"), issued.Der);
        var issuer = await hub.FetchCaAsync("citizen-auth");
        var root = await hub.FetchCaAsync("root");

        var before = await Openssl.RunAsync(hub.WorkDirectory.FullName, "ocsp", "-issuer", issuer, "-cert", leaf, "-url", Url, "-CAfile", root);
        Assert.Contains("Response verify OK", before.All, StringComparison.Ordinal);
        Assert.Contains($"{leaf}: good", before.Output, StringComparison.Ordinal);

        await hub.RevokeAsync(issued, RevocationReason.KeyCompromise);

        // The very next request sees it: status is read from the registry per request, nothing is cached.
        var after = await Openssl.RunAsync(hub.WorkDirectory.FullName, "ocsp", "-issuer", issuer, "-cert", leaf, "-url", Url, "-CAfile", root);
        Assert.Contains("Response verify OK", after.All, StringComparison.Ordinal);
        Assert.Contains($"{leaf}: revoked", after.Output, StringComparison.Ordinal);
        Assert.Contains("Reason: keyCompromise", after.Output, StringComparison.Ordinal);
        Assert.Contains("Revocation Time:", after.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_serial_the_CA_never_issued_is_unknown()
    {
        var issuer = await hub.FetchCaAsync("citizen-sign");
        var root = await hub.FetchCaAsync("root");

        var result = await Openssl.RunAsync(hub.WorkDirectory.FullName, "ocsp", "-issuer", issuer, "-serial", "0x5a5a5a5a5a5a5a5a5a", "-url", Url, "-CAfile", root);

        Assert.Contains("Response verify OK", result.All, StringComparison.Ordinal);
        Assert.Contains("0x5a5a5a5a5a5a5a5a5a: unknown", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Intermediate_CA_certificates_have_status_under_the_root()
    {
        var root = await hub.FetchCaAsync("root");
        var services = await hub.FetchCaAsync("services");

        var result = await Openssl.RunAsync(hub.WorkDirectory.FullName, "ocsp", "-issuer", root, "-cert", services, "-url", Url, "-CAfile", root);

        Assert.Contains("Response verify OK", result.All, StringComparison.Ordinal);
        Assert.Contains($"{services}: good", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_gets_a_malformedRequest_response_not_an_http_error()
    {
        using var content = new ByteArrayContent("this is not DER"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
        using var response = await hub.Http.PostAsync("/pki/ocsp", content);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/ocsp-response", response.Content.Headers.ContentType?.MediaType);
        var path = hub.PathOf("garbage.ocsp");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        var text = await Openssl.RunAsync(hub.WorkDirectory.FullName, "ocsp", "-respin", path, "-resp_text", "-noverify");
        Assert.Contains("malformedrequest (1)", text.All, StringComparison.OrdinalIgnoreCase);

        using var getGarbage = await hub.Http.GetAsync("/pki/ocsp/not*base64!");
        Assert.Equal(OcspRespStatus.MalformedRequest, new OcspResp(await getGarbage.Content.ReadAsByteArrayAsync()).Status);

        using var oversized = new ByteArrayContent(new byte[100_000]);
        using var tooBig = await hub.Http.PostAsync("/pki/ocsp", oversized);
        Assert.Equal(OcspRespStatus.MalformedRequest, new OcspResp(await tooBig.Content.ReadAsByteArrayAsync()).Status);
    }

    [Fact]
    public async Task Get_requests_per_RFC6960_appendix_A_are_answered()
    {
        var issued = await hub.IssueAsync();
        var issuerCert = new X509Certificate(await hub.Http.GetByteArrayAsync("/pki/ca/citizen-auth.crt"));
        var request = Request(issuerCert, new BigInteger(issued.SerialNumber, 16), nonce: null);

        var encoded = Uri.EscapeDataString(Convert.ToBase64String(request.GetEncoded()));
        var basic = await ParseSuccessfulAsync(await hub.Http.GetByteArrayAsync($"/pki/ocsp/{encoded}"));

        Assert.Null(basic.Responses.Single().GetCertStatus()); // good
        Assert.Null(basic.GetExtensionValue(OcspObjectIdentifiers.PkixOcspNonce));
    }

    [Fact]
    public async Task The_nonce_is_echoed_and_an_oversized_nonce_is_refused()
    {
        var issued = await hub.IssueAsync();
        var issuerCert = new X509Certificate(await hub.Http.GetByteArrayAsync("/pki/ca/citizen-auth.crt"));
        var serial = new BigInteger(issued.SerialNumber, 16);

        var nonce = RandomNumberGenerator.GetBytes(32);
        var basic = await ParseSuccessfulAsync(await PostAsync(Request(issuerCert, serial, nonce)));
        var echoed = Asn1OctetString.GetInstance(Asn1Object.FromByteArray(basic.GetExtensionValue(OcspObjectIdentifiers.PkixOcspNonce).GetOctets())).GetOctets();
        Assert.Equal(nonce, echoed);

        // RFC 8954 §2.1: at most 32 octets.
        var refused = new OcspResp(await PostAsync(Request(issuerCert, serial, RandomNumberGenerator.GetBytes(33))));
        Assert.Equal(OcspRespStatus.MalformedRequest, refused.Status);
    }

    [Fact]
    public async Task An_issuer_this_hub_does_not_run_is_unauthorized()
    {
        var id = new CertID(
            new AlgorithmIdentifier(Org.BouncyCastle.Asn1.Oiw.OiwObjectIdentifiers.IdSha1, DerNull.Instance),
            new DerOctetString(RandomNumberGenerator.GetBytes(20)),
            new DerOctetString(RandomNumberGenerator.GetBytes(20)),
            DerInteger.ValueOf(12345));
        var generator = new OcspReqGenerator();
        generator.AddRequest(new CertificateID(id));

        var response = new OcspResp(await PostAsync(generator.Generate()));

        Assert.Equal(OcspRespStatus.Unauthorized, response.Status);
    }

    [Fact]
    public async Task A_request_mixing_CAs_is_unauthorized_rather_than_half_answered()
    {
        var auth = new X509Certificate(await hub.Http.GetByteArrayAsync("/pki/ca/citizen-auth.crt"));
        var sign = new X509Certificate(await hub.Http.GetByteArrayAsync("/pki/ca/citizen-sign.crt"));
        var generator = new OcspReqGenerator();
        generator.AddRequest(new CertificateID(CertificateID.DigestSha1, auth, BigInteger.One));
        generator.AddRequest(new CertificateID(CertificateID.DigestSha1, sign, BigInteger.One));

        var response = new OcspResp(await PostAsync(generator.Generate()));

        Assert.Equal(OcspRespStatus.Unauthorized, response.Status);
    }

    [Fact]
    public async Task Ten_CertIDs_are_answered_and_eleven_get_malformedRequest()
    {
        var issuerCert = new X509Certificate(await hub.Http.GetByteArrayAsync("/pki/ca/citizen-auth.crt"));

        // Pki:OcspMaxCertIds defaults to 10: each CertID is a registry lookup, so one request may not ask about thousands.
        var atCap = await ParseSuccessfulAsync(await PostAsync(Request(issuerCert, 10)));
        Assert.Equal(10, atCap.Responses.Length);
        Assert.All(atCap.Responses, r => Assert.IsType<UnknownStatus>(r.GetCertStatus()));

        var overCap = new OcspResp(await PostAsync(Request(issuerCert, 11)));
        Assert.Equal(OcspRespStatus.MalformedRequest, overCap.Status);
        Assert.Null(overCap.GetResponseObject());

        // The same over GET (RFC 6960 Appendix A.1).
        var encoded = Uri.EscapeDataString(Convert.ToBase64String(Request(issuerCert, 11).GetEncoded()));
        Assert.Equal(OcspRespStatus.MalformedRequest, new OcspResp(await hub.Http.GetByteArrayAsync($"/pki/ocsp/{encoded}")).Status);
    }

    [Fact]
    public async Task Two_hundred_parallel_requests_all_get_valid_signed_responses()
    {
        var issued = await hub.IssueAsync();
        var issuerCert = new X509Certificate(await hub.Http.GetByteArrayAsync("/pki/ca/citizen-auth.crt"));
        var serial = new BigInteger(issued.SerialNumber, 16);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            var nonce = RandomNumberGenerator.GetBytes(16);
            var basic = await ParseSuccessfulAsync(await PostAsync(Request(issuerCert, serial, nonce)));
            var echoed = Asn1OctetString.GetInstance(Asn1Object.FromByteArray(basic.GetExtensionValue(OcspObjectIdentifiers.PkixOcspNonce).GetOctets())).GetOctets();
            return nonce.SequenceEqual(echoed) && basic.Responses.Single().GetCertStatus() is null;
        }));

        Assert.Equal(200, results.Count(ok => ok));
    }

    /// <summary>Parses a successful response and checks its signature against the responder certificate it carries,
    /// and that this responder certificate was issued by the CA (delegated responder, RFC 6960 §4.2.2.2).</summary>
    private async Task<BasicOcspResp> ParseSuccessfulAsync(byte[] der)
    {
        var response = new OcspResp(der);
        Assert.Equal(OcspRespStatus.Successful, response.Status);
        var basic = (BasicOcspResp)response.GetResponseObject();
        var responder = basic.GetCerts().Single();
        Assert.True(basic.Verify(responder.GetPublicKey()));
        var ca = new X509Certificate(await hub.Http.GetByteArrayAsync("/pki/ca/citizen-auth.crt"));
        responder.Verify(ca.GetPublicKey());
        Assert.Contains("1.3.6.1.5.5.7.3.9", responder.GetExtendedKeyUsage().Select(o => o.Id));
        return basic;
    }

    private async Task<byte[]> PostAsync(OcspReq request)
    {
        using var content = new ByteArrayContent(request.GetEncoded());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
        using var response = await hub.Http.PostAsync("/pki/ocsp", content);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>A request about <paramref name="count"/> serials the CA never issued.</summary>
    internal static OcspReq Request(X509Certificate issuer, int count)
    {
        var generator = new OcspReqGenerator();
        for (var i = 0; i < count; i++)
        {
            generator.AddRequest(new CertificateID(CertificateID.DigestSha1, issuer, new BigInteger(1, RandomNumberGenerator.GetBytes(16))));
        }

        return generator.Generate();
    }

    private static OcspReq Request(X509Certificate issuer, BigInteger serial, byte[]? nonce)
    {
        var generator = new OcspReqGenerator();
        generator.AddRequest(new CertificateID(CertificateID.DigestSha1, issuer, serial));
        if (nonce is not null)
        {
            generator.SetRequestExtensions(new X509Extensions(new Dictionary<DerObjectIdentifier, X509Extension>
            {
                [OcspObjectIdentifiers.PkixOcspNonce] = new(false, new DerOctetString(new DerOctetString(nonce))),
            }));
        }

        return generator.Generate();
    }
}
