using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Tests.Validation.Inputs;
using IdentityHub.Signing.Validation;
using Org.BouncyCastle.X509;

namespace IdentityHub.Signing.Tests.Validation;

/// <summary>
/// The assessor's checks (EN 319 102-1 §5), each shown by a detached CAdES signature that breaks exactly one of them:
/// signing-certificate identification, chain building and basic constraints, validity with and without proof of
/// existence, and revocation from embedded CRLs (verified, and compared with the proven signing time).
/// </summary>
public sealed class AssessorChecksTests
{
    private static readonly byte[] Content = "the signed document"u8.ToArray();

    private static async Task<SignatureReport> ValidateAsync(TestPki pki, byte[] cms, byte[]? content = null, DateTimeOffset? at = null)
    {
        var (_, reports) = await OfflineValidator.ValidateAsync(
            OfflineValidator.Input("document.txt.p7s", cms, new SignedFile("document.txt", "text/plain", content ?? Content)), [pki.Root.GetEncoded()], at);
        return Assert.Single(reports);
    }

    /// <summary>A detached CAdES signature; unless <paramref name="crls"/> are given, with a CRL that does not list the signer (status good).</summary>
    private static byte[] Sign(TestPki pki, X509Certificate? referenced = null, bool certificates = true, IEnumerable<byte[]>? crls = null) =>
        TestCms.Sign(Content, pki.SignerFactory, pki.Signer, pki.Chain, encapsulate: false, referenced ?? pki.Signer, certificates, crls ?? [pki.Crl(null)]);

    private static Task<byte[]> TimestampAsync(TestPki pki, byte[] cms, DateTime at) =>
        TestCms.AddSignatureTimestampAsync(cms, signature => Task.FromResult(pki.TimeStamp(signature, at)));

    [Fact]
    public async Task A_good_detached_signature_with_its_original_is_total_passed()
    {
        var pki = new TestPki();
        var report = await ValidateAsync(pki, Sign(pki));

        Assert.Equal(Indication.TotalPassed, report.Indication);
        Assert.Equal(SignatureLevel.BaselineB, report.Level);
        Assert.Equal(SignatureFormat.Cades, report.Format);
        Assert.Equal(["document.txt"], report.SignedObjects);
    }

    [Fact]
    public async Task Without_its_original_a_detached_signature_is_signed_data_not_found()
    {
        var pki = new TestPki();
        var (_, reports) = await OfflineValidator.ValidateAsync(OfflineValidator.Input("document.txt.p7s", Sign(pki)), [pki.Root.GetEncoded()]);

        Assert.Equal(SubIndication.SignedDataNotFound, Assert.Single(reports).SubIndication);
    }

    [Fact]
    public async Task A_changed_original_is_a_hash_failure()
    {
        var pki = new TestPki();
        var report = await ValidateAsync(pki, Sign(pki), "the signed documenT"u8.ToArray());

        Assert.Equal(Indication.TotalFailed, report.Indication);
        Assert.Equal(SubIndication.HashFailure, report.SubIndication);
    }

    [Fact]
    public async Task A_damaged_signature_value_is_a_sig_crypto_failure()
    {
        var pki = new TestPki();
        var report = await ValidateAsync(pki, PadesValidationTests.DamageSignatureValue(Sign(pki)));

        Assert.Equal(SubIndication.SigCryptoFailure, report.SubIndication);
    }

    [Fact]
    public async Task Without_the_signer_certificate_no_signing_certificate_is_found()
    {
        var pki = new TestPki();
        var report = await ValidateAsync(pki, Sign(pki, certificates: false));

        Assert.Equal(Indication.Indeterminate, report.Indication);
        Assert.Equal(SubIndication.NoSigningCertificateFound, report.SubIndication);
    }

    [Fact]
    public async Task A_signing_certificate_v2_reference_to_another_certificate_is_no_signing_certificate_found()
    {
        var pki = new TestPki();
        var report = await ValidateAsync(pki, Sign(pki, referenced: pki.Tsa));

        Assert.Equal(SubIndication.NoSigningCertificateFound, report.SubIndication);
    }

    [Fact]
    public async Task Without_a_signing_certificate_v2_attribute_the_level_is_none()
    {
        var pki = new TestPki();
        var cms = TestCms.Sign(Content, pki.SignerFactory, pki.Signer, pki.Chain, encapsulate: false, referenced: null, crls: [pki.Crl(null)]);
        var report = await ValidateAsync(pki, cms);

        Assert.Equal(Indication.TotalPassed, report.Indication);
        Assert.Equal(SignatureLevel.None, report.Level);
    }

    [Fact]
    public async Task An_intermediate_that_is_not_a_CA_breaks_the_chain()
    {
        var good = new TestPki(intermediateIsCa: true);
        Assert.Equal(Indication.TotalPassed, (await ValidateAsync(good, Sign(good))).Indication);

        var notCa = new TestPki(intermediateIsCa: false);
        var report = await ValidateAsync(notCa, Sign(notCa));

        Assert.Equal(SubIndication.NoCertificateChainFound, report.SubIndication);
    }

    [Fact]
    public async Task A_certificate_signed_by_another_key_under_the_anchor_name_does_not_chain()
    {
        var pki = new TestPki();
        var impostor = new TestPki(); // same names, other keys: the signature of the signer's certificate does not verify
        var (_, reports) = await OfflineValidator.ValidateAsync(
            OfflineValidator.Input("document.txt.p7s", Sign(pki), new SignedFile("document.txt", "text/plain", Content)), [impostor.Root.GetEncoded()]);

        Assert.Equal(SubIndication.NoCertificateChainFound, Assert.Single(reports).SubIndication);
    }

    [Fact]
    public async Task An_expired_signer_without_proof_of_existence_is_out_of_bounds_no_poe_and_a_time_stamp_inside_its_validity_saves_it()
    {
        var pki = new TestPki(signerNotAfter: DateTime.UtcNow.AddDays(-1));
        var expired = await ValidateAsync(pki, Sign(pki));
        Assert.Equal(SubIndication.OutOfBoundsNoPoe, expired.SubIndication);

        var proven = await ValidateAsync(pki, await TimestampAsync(pki, Sign(pki), DateTime.UtcNow.AddDays(-2)));
        Assert.Equal(Indication.TotalPassed, proven.Indication);

        // The validation time of the policy: the same signature as of a day inside the signer's validity.
        var asOfThen = await ValidateAsync(pki, Sign(pki), at: DateTimeOffset.UtcNow.AddDays(-3));
        Assert.Equal(Indication.TotalPassed, asOfThen.Indication);
    }

    [Fact]
    public async Task Revoked_before_the_proven_signing_time_is_total_failed_revoked()
    {
        var pki = new TestPki();
        var crl = pki.Crl(DateTime.UtcNow.AddHours(-2));
        var report = await ValidateAsync(pki, await TimestampAsync(pki, Sign(pki, crls: [crl]), DateTime.UtcNow.AddHours(-1)));

        Assert.Equal(Indication.TotalFailed, report.Indication);
        Assert.Equal(SubIndication.Revoked, report.SubIndication);
        Assert.Equal("revoked", report.RevocationStatus);
    }

    [Fact]
    public async Task Revoked_after_the_proven_signing_time_passes_and_revoked_with_no_proof_is_revoked_no_poe()
    {
        var pki = new TestPki();
        var crl = pki.Crl(DateTime.UtcNow.AddMinutes(-30));
        var before = await ValidateAsync(pki, await TimestampAsync(pki, Sign(pki, crls: [crl]), DateTime.UtcNow.AddHours(-1)));
        Assert.Equal(Indication.TotalPassed, before.Indication);
        Assert.Equal("revoked", before.RevocationStatus);

        var unproven = await ValidateAsync(pki, Sign(pki, crls: [crl]));
        Assert.Equal(SubIndication.RevokedNoPoe, unproven.SubIndication);
    }

    [Fact]
    public async Task A_CRL_not_signed_by_the_CA_is_ignored()
    {
        var pki = new TestPki();
        var forged = pki.Crl(DateTime.UtcNow.AddHours(-2), TestPki.NewKey().Private);
        var report = await ValidateAsync(pki, await TimestampAsync(pki, Sign(pki, crls: [forged]), DateTime.UtcNow.AddHours(-1)));

        // Without a usable CRL the signer's status is unknown: the signature cannot be accepted yet.
        Assert.Equal(Indication.Indeterminate, report.Indication);
        Assert.Equal(SubIndication.TryLater, report.SubIndication);
        Assert.Equal("unknown", report.RevocationStatus);
        Assert.Contains(report.Messages, m => m.Contains("does not verify with the CA's key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_CRL_that_does_not_list_the_signer_makes_its_status_good()
    {
        var pki = new TestPki();
        var report = await ValidateAsync(pki, Sign(pki, crls: [pki.Crl(null)]));

        Assert.Equal("good", report.RevocationStatus);
    }

    [Fact]
    public async Task A_time_stamp_from_an_untrusted_TSA_is_no_proof_of_existence()
    {
        var pki = new TestPki(signerNotAfter: DateTime.UtcNow.AddDays(-1));
        var stranger = new TestPki();
        var cms = await TestCms.AddSignatureTimestampAsync(Sign(pki), signature => Task.FromResult(stranger.TimeStamp(signature, DateTime.UtcNow.AddDays(-2))));
        var report = await ValidateAsync(pki, cms);

        Assert.Equal(SubIndication.OutOfBoundsNoPoe, report.SubIndication);
        Assert.Null(report.ProvenSigningTime);
        Assert.False(Assert.Single(report.Timestamps).TrustedTsa);
    }

    [Fact]
    public async Task An_enveloping_signature_with_two_signers_gives_two_reports()
    {
        var pki = new TestPki();
        var other = new TestPki();
        var first = new Org.BouncyCastle.Cms.CmsSignedData(TestCms.Sign(Content, pki.SignerFactory, pki.Signer, pki.Chain, encapsulate: true, pki.Signer, crls: [pki.Crl(null)]));
        var second = new Org.BouncyCastle.Cms.CmsSignedData(TestCms.Sign(Content, other.SignerFactory, other.Signer, other.Chain, encapsulate: true, other.Signer));
        var signers = first.GetSignerInfos().GetSigners().Concat(second.GetSignerInfos().GetSigners()).ToList();
        var both = Org.BouncyCastle.Cms.CmsSignedData.ReplaceSigners(first, new Org.BouncyCastle.Cms.SignerInformationStore(signers));
        var certificates = Org.BouncyCastle.Utilities.Collections.CollectionUtilities.CreateStore(new[] { pki.Signer, pki.Root, other.Signer, other.Root });
        both = Org.BouncyCastle.Cms.CmsSignedData.ReplaceCertificatesAndRevocations(both, certificates, first.GetCrls(), null, null);

        var (_, reports) = await OfflineValidator.ValidateAsync(OfflineValidator.Input("both.p7m", both.GetEncoded()), [pki.Root.GetEncoded()]);

        Assert.Equal(["signer-1", "signer-2"], reports.Select(r => r.Id));
        Assert.Equal(Indication.TotalPassed, reports[0].Indication);
        Assert.Equal(SubIndication.NoCertificateChainFound, reports[1].SubIndication);
    }
}
