using System.Net.Http.Headers;
using System.Security.Cryptography;
using IdentityHub.IntegrationTests.Infrastructure;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.X509;

namespace IdentityHub.IntegrationTests.Pki;

[Collection(HubCollection.Name)]
public sealed class TimeStampTests(HubFixture hub)
{
    [Theory]
    [InlineData("-sha256")]
    [InlineData("-sha384")]
    [InlineData("-sha512")]
    public async Task Openssl_verifies_a_timestamp_token_for_a_file(string digest)
    {
        var data = hub.PathOf($"document{digest}.txt");
        await File.WriteAllTextAsync(data, "A document to be time-stamped, " + Guid.NewGuid());
        var query = hub.PathOf($"request{digest}.tsq");
        Assert.Equal(0, (await Openssl.RunAsync(hub.WorkDirectory.FullName, "ts", "-query", "-data", data, digest, "-cert", "-out", query)).ExitCode);

        var reply = hub.PathOf($"reply{digest}.tsr");
        await File.WriteAllBytesAsync(reply, await PostAsync(await File.ReadAllBytesAsync(query)));
        var root = await hub.FetchCaAsync("root");
        var services = await hub.FetchCaAsync("services");

        var verify = await Openssl.RunAsync(hub.WorkDirectory.FullName, "ts", "-verify", "-data", data, "-in", reply, "-CAfile", root, "-untrusted", services);
        Assert.Contains("Verification: OK", verify.Output, StringComparison.Ordinal);

        var text = (await Openssl.RunAsync(hub.WorkDirectory.FullName, "ts", "-reply", "-in", reply, "-text")).Output;
        Assert.Contains("Status: Granted.", text, StringComparison.Ordinal);
        Assert.Contains("Policy OID: 2.999.3161.1", text, StringComparison.Ordinal);
        Assert.Contains("Accuracy: 0x01 seconds", text, StringComparison.Ordinal);
        Assert.Contains("Nonce: 0x", text, StringComparison.Ordinal);

        // A different document does not verify against the same token.
        await File.AppendAllTextAsync(data, "tampered");
        var tampered = await Openssl.RunAsync(hub.WorkDirectory.FullName, "ts", "-verify", "-data", data, "-in", reply, "-CAfile", root, "-untrusted", services);
        Assert.DoesNotContain("Verification: OK", tampered.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertReq_decides_whether_the_TSA_certificate_travels_in_the_token()
    {
        var generator = new TimeStampRequestGenerator();
        generator.SetCertReq(true);
        var withCert = new TimeStampResponse(await PostAsync(generator.Generate(TspAlgorithms.Sha256, SHA256.HashData("x"u8)).GetEncoded()));
        generator.SetCertReq(false);
        var withoutCert = new TimeStampResponse(await PostAsync(generator.Generate(TspAlgorithms.Sha256, SHA256.HashData("x"u8)).GetEncoded()));

        Assert.NotEmpty(withCert.TimeStampToken.GetCertificates().EnumerateMatches(null));
        Assert.Empty(withoutCert.TimeStampToken.GetCertificates().EnumerateMatches(null));
    }

    [Fact]
    public async Task Garbage_gets_a_rejection_with_badDataFormat_not_an_http_error()
    {
        using var content = new ByteArrayContent("garbage"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        using var response = await hub.Http.PostAsync("/pki/tsa", content);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/timestamp-reply", response.Content.Headers.ContentType?.MediaType);
        var reply = new TimeStampResponse(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((int)PkiStatus.Rejection, reply.Status);
        Assert.Equal(PkiFailureInfo.BadDataFormat, reply.GetFailInfo().IntValue);

        var path = hub.PathOf("garbage.tsr");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        var text = await Openssl.RunAsync(hub.WorkDirectory.FullName, "ts", "-reply", "-in", path, "-text");
        Assert.Contains("Status: Rejected.", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_SHA1_imprint_is_rejected_with_badAlg()
    {
        var request = new TimeStampRequestGenerator().Generate(TspAlgorithms.Sha1, new byte[20]);
        var reply = new TimeStampResponse(await PostAsync(request.GetEncoded()));

        Assert.Equal((int)PkiStatus.Rejection, reply.Status);
        Assert.Equal(PkiFailureInfo.BadAlg, reply.GetFailInfo().IntValue);
    }

    [Fact]
    public async Task An_imprint_of_the_wrong_length_is_rejected()
    {
        var request = new Org.BouncyCastle.Asn1.Tsp.TimeStampReq(
            new Org.BouncyCastle.Asn1.Tsp.MessageImprint(new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(NistObjectIdentifiers.IdSha256, DerNull.Instance), new byte[31]),
            null, null, null, null);
        var reply = new TimeStampResponse(await PostAsync(request.GetEncoded()));

        Assert.Equal((int)PkiStatus.Rejection, reply.Status);
    }

    [Fact]
    public async Task A_policy_other_than_the_TSA_policy_is_rejected()
    {
        var generator = new TimeStampRequestGenerator();
        generator.SetReqPolicy(new DerObjectIdentifier("1.2.3.4.5"));
        var reply = new TimeStampResponse(await PostAsync(generator.Generate(TspAlgorithms.Sha256, new byte[32]).GetEncoded()));

        Assert.Equal((int)PkiStatus.Rejection, reply.Status);
        Assert.Equal(PkiFailureInfo.UnacceptedPolicy, reply.GetFailInfo().IntValue);
    }

    [Fact]
    public async Task Two_hundred_parallel_requests_all_get_valid_tokens()
    {
        var tsaCertificate = await TsaCertificateAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var generator = new TimeStampRequestGenerator();
            generator.SetCertReq(true);
            var request = generator.Generate(TspAlgorithms.Sha256, SHA256.HashData(BitConverter.GetBytes(i)), BigInteger.ValueOf(i + 1));
            var response = new TimeStampResponse(await PostAsync(request.GetEncoded()));
            response.Validate(request); // status granted, imprint, nonce and policy match the request
            response.TimeStampToken.Validate(tsaCertificate); // CMS signature and ESS signing-certificate-v2
            return response.TimeStampToken.TimeStampInfo.SerialNumber;
        }));

        Assert.Equal(200, results.Distinct().Count());
    }

    private async Task<X509Certificate> TsaCertificateAsync()
    {
        var generator = new TimeStampRequestGenerator();
        generator.SetCertReq(true);
        var response = new TimeStampResponse(await PostAsync(generator.Generate(TspAlgorithms.Sha256, new byte[32]).GetEncoded()));
        return response.TimeStampToken.GetCertificates().EnumerateMatches(null)
            .Single(c => c.GetExtendedKeyUsage()?.Any(o => o.Id == "1.3.6.1.5.5.7.3.8") == true);
    }

    private async Task<byte[]> PostAsync(byte[] request)
    {
        using var content = new ByteArrayContent(request);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        using var response = await hub.Http.PostAsync("/pki/tsa", content);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }
}
