using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Pki;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;

namespace IdentityHub.IntegrationTests.Pki;

/// <summary>Two hub nodes on one database: what one node revokes, the other's OCSP and CRL show at once.</summary>
[Collection(HubCollection.Name)]
public sealed class StatelessNodeTests(HubFixture hub)
{
    [Fact]
    public async Task A_revocation_on_one_node_is_served_by_the_other_at_once()
    {
        var (secondNode, second) = await hub.StartSecondNodeAsync();
        await using var node = secondNode;
        using var client = second;

        var issued = await hub.IssueAsync();
        var issuer = new X509Certificate(await second.GetByteArrayAsync("/pki/ca/citizen-auth.crt"));
        var generator = new OcspReqGenerator();
        generator.AddRequest(new CertificateID(CertificateID.DigestSha1, issuer, new BigInteger(issued.SerialNumber, 16)));
        var request = generator.Generate().GetEncoded();

        Assert.Null(await StatusFromAsync(second, request)); // good on the second node
        _ = await second.GetByteArrayAsync("/pki/crl/citizen-auth.crl"); // the second node has read the CRL too

        await hub.RevokeAsync(issued, RevocationReason.CessationOfOperation); // through the first node

        var status = Assert.IsType<RevokedStatus>(await StatusFromAsync(second, request));
        Assert.Equal((int)RevocationReason.CessationOfOperation, status.RevocationReason);
        var crl = new X509Crl(await second.GetByteArrayAsync("/pki/crl/citizen-auth.crl"));
        Assert.NotNull(crl.GetRevokedCertificate(new BigInteger(issued.SerialNumber, 16)));

        await secondNode.StopAsync();
    }

    private static async Task<CertificateStatus?> StatusFromAsync(HttpClient node, byte[] request)
    {
        using var content = new ByteArrayContent(request);
        using var response = await node.PostAsync("/pki/ocsp", content);
        var basic = (BasicOcspResp)new OcspResp(await response.Content.ReadAsByteArrayAsync()).GetResponseObject();
        return (CertificateStatus?)basic.Responses.Single().GetCertStatus();
    }
}
