using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.X509;

namespace IdentityHub.IntegrationTests.Pki;

/// <summary>A hub with low per-address limits on OCSP and the TSA.</summary>
public sealed class PkiRateLimitedHubFixture : HubFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Pki:RateLimits:OcspPerMinute"] = "3",
        ["Pki:RateLimits:TsaPerMinute"] = "2",
    };
}

/// <summary>OCSP and the TSA sign every answer in the HSM: one address may not spend the hub's signing rate.</summary>
public sealed class OcspAndTimeStampRateLimitTests(PkiRateLimitedHubFixture hub) : IClassFixture<PkiRateLimitedHubFixture>
{
    [Fact]
    public async Task The_fourth_OCSP_request_in_a_minute_from_one_address_gets_429_with_Retry_After_over_GET_and_POST()
    {
        var issuer = new X509Certificate(await hub.Http.GetByteArrayAsync("/pki/ca/citizen-auth.crt"));
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 5; i++)
        {
            var request = OcspTests.Request(issuer, 1).GetEncoded();
            HttpResponseMessage response;
            if (i % 2 == 0)
            {
                using var content = new ByteArrayContent(request);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
                response = await hub.Http.PostAsync("/pki/ocsp", content);
            }
            else
            {
                response = await hub.Http.GetAsync("/pki/ocsp/" + Uri.EscapeDataString(Convert.ToBase64String(request)));
            }

            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal(OcspRespStatus.Successful, new OcspResp(await response.Content.ReadAsByteArrayAsync()).Status);
                response.Dispose();
            }
            else
            {
                refused?.Dispose();
                refused = response;
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        using (refused)
        {
            var retryAfter = refused!.Headers.RetryAfter?.Delta;
            Assert.NotNull(retryAfter);
            Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
            Assert.NotEqual("application/ocsp-response", refused.Content.Headers.ContentType?.MediaType);
        }

        // Other public PKI resources are not limited.
        using var ca = await hub.Http.GetAsync("/pki/ca/citizen-auth.crt");
        Assert.Equal(HttpStatusCode.OK, ca.StatusCode);
    }

    [Fact]
    public async Task The_third_time_stamp_request_in_a_minute_from_one_address_gets_429_with_Retry_After()
    {
        var generator = new TimeStampRequestGenerator();
        var statuses = new List<HttpStatusCode>();
        TimeSpan? retryAfter = null;
        for (var i = 0; i < 3; i++)
        {
            using var content = new ByteArrayContent(generator.Generate(TspAlgorithms.Sha256, SHA256.HashData(BitConverter.GetBytes(i))).GetEncoded());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
            using var response = await hub.Http.PostAsync("/pki/tsa", content);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.NotNull(new TimeStampResponse(await response.Content.ReadAsByteArrayAsync()).TimeStampToken);
            }
            else
            {
                retryAfter = response.Headers.RetryAfter?.Delta;
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
    }
}
