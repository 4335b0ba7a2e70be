using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Tests.Validation.Inputs;
using IdentityHub.Signing.Validation;
using IdentityHub.Signing.Validation.Cades;
using Org.BouncyCastle.Tsp;

namespace IdentityHub.Signing.Tests.Validation;

/// <summary>
/// OCSP responses carried with a signature (RFC 6960): counted only when signed by the issuing CA or by a responder
/// that CA certified for id-kp-OCSPSigning; "revoked" before the proven signing time fails the signature.
/// </summary>
public sealed class OcspRevocationTests
{
    private static readonly byte[] Content = "ocsp"u8.ToArray();
    private readonly TestPki _pki = new();

    private async Task<SignatureReport> AssessAsync(byte[] ocsp)
    {
        var cms = TestCms.Sign(Content, _pki.SignerFactory, _pki.Signer, _pki.Chain, encapsulate: false, _pki.Signer);
        cms = await TestCms.AddSignatureTimestampAsync(cms, signature => Task.FromResult(_pki.TimeStamp(signature, DateTime.UtcNow.AddMinutes(-10))));
        var evidence = Assert.Single(await new CadesReader().ReadAsync(
            new ValidationInput("x.p7s", cms, [new SignedFile("x", "text/plain", Content)]), CancellationToken.None));
        var context = new AssessmentContext([new Org.BouncyCastle.X509.X509Certificate(_pki.Root.GetEncoded())], DateTimeOffset.UtcNow, []);
        return await new SignatureAssessor(new NoRevocationSource()).AssessAsync(evidence with { OcspResponses = [ocsp] }, context, CancellationToken.None);
    }

    [Fact]
    public async Task A_revoked_answer_signed_by_the_CA_itself_fails_the_signature()
    {
        var report = await AssessAsync(_pki.Ocsp(DateTime.UtcNow.AddHours(-1), _pki.Root, _pki.RootKey.Private));

        Assert.Equal(SubIndication.Revoked, report.SubIndication);
    }

    [Fact]
    public async Task A_revoked_answer_from_a_delegated_OCSP_responder_fails_the_signature()
    {
        var (responder, key) = _pki.Responder(ocspSigning: true);
        var report = await AssessAsync(_pki.Ocsp(DateTime.UtcNow.AddHours(-1), responder, key.Private));

        Assert.Equal(Indication.TotalFailed, report.Indication);
        Assert.Equal(SubIndication.Revoked, report.SubIndication);
    }

    [Fact]
    public async Task An_answer_from_a_responder_without_id_kp_OCSPSigning_is_ignored()
    {
        var (responder, key) = _pki.Responder(ocspSigning: false);
        var report = await AssessAsync(_pki.Ocsp(DateTime.UtcNow.AddHours(-1), responder, key.Private));

        Assert.Equal(Indication.Indeterminate, report.Indication);
        Assert.Equal(SubIndication.TryLater, report.SubIndication);
        Assert.Equal("unknown", report.RevocationStatus);
    }

    [Fact]
    public async Task An_answer_signed_by_a_key_the_CA_never_certified_is_ignored_and_a_good_answer_counts()
    {
        var stranger = TestPki.NewKey();
        var forged = await AssessAsync(_pki.Ocsp(DateTime.UtcNow.AddHours(-1), _pki.Root, stranger.Private));
        Assert.Equal("unknown", forged.RevocationStatus);

        var good = await AssessAsync(_pki.Ocsp(null, _pki.Root, _pki.RootKey.Private));
        Assert.Equal("good", good.RevocationStatus);
        Assert.Equal(Indication.TotalPassed, good.Indication);
    }

    [Fact]
    public void The_signature_time_stamp_helper_is_a_real_RFC_3161_token()
    {
        var token = new TimeStampToken(new Org.BouncyCastle.Cms.CmsSignedData(_pki.TimeStamp(Content, DateTime.UtcNow)));
        Assert.Equal("1.2.3.4", token.TimeStampInfo.Policy);
    }
}
