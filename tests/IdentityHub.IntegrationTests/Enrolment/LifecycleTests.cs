using IdentityHub.Core.Identity;
using IdentityHub.Data;
using IdentityHub.Data.Registry;
using IdentityHub.Enrolment;
using IdentityHub.Enrolment.Issuance;
using IdentityHub.Enrolment.Lifecycle;
using IdentityHub.Enrolment.Registry;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Pki;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Enrolment;

/// <summary>eID certificates checked by openssl: the chain, the ETSI EN 319 412-2 profile, and OCSP through the lifecycle.</summary>
[Collection(HubCollection.Name)]
public sealed class LifecycleTests(HubFixture hub)
{
    private readonly EnrolmentDriver _driver = new(hub);

    private async Task<(string Auth, string Sign)> WriteCertificatesAsync(IssuedEid issued)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        async Task<string> Write(EidKeyPurpose purpose)
        {
            var key = await db.EidKeys.SingleAsync(k => k.EidId == issued.EidId && k.Purpose == purpose && k.RetiredAt == null);
            var der = await db.IssuedCertificates.Where(c => c.IssuerName == key.CertificateIssuer && c.SerialNumber == key.CertificateSerial)
                .Select(c => c.CertificateDer).SingleAsync();
            return await Pem.WriteCertificateAsync(hub.PathOf($"{issued.DocumentNumber}-{purpose}-{key.CertificateSerial}.pem"), der);
        }

        return (await Write(EidKeyPurpose.Authentication), await Write(EidKeyPurpose.Signature));
    }

    private Task<Outcome<EidView>> Lifecycle(Func<EidLifecycle, Task<Outcome<EidView>>> step) => _driver.WithAsync(step);

    private async Task<string> OcspAsync(string certificate, string issuerName)
    {
        var issuer = await hub.FetchCaAsync(issuerName);
        var root = await hub.FetchCaAsync("root");
        var result = await Openssl.RunAsync(hub.WorkDirectory.FullName, "ocsp", "-issuer", issuer, "-cert", certificate, "-url", hub.BaseAddress + "pki/ocsp", "-CAfile", root);
        Assert.Contains("Response verify OK", result.All, StringComparison.Ordinal);
        return result.Output;
    }

    [Fact]
    public async Task Both_certificates_chain_to_the_root_and_show_the_ETSI_natural_person_profile()
    {
        var issued = await _driver.IssuedAsync();
        var (auth, sign) = await WriteCertificatesAsync(issued);
        var root = await hub.FetchCaAsync("root");

        foreach (var (leaf, ca) in new[] { (auth, "citizen-auth"), (sign, "citizen-sign") })
        {
            var verify = await Openssl.RunAsync(hub.WorkDirectory.FullName, "verify", "-CAfile", root, "-untrusted", await hub.FetchCaAsync(ca), leaf);
            Assert.True(verify.ExitCode == 0, verify.All);
            Assert.Contains(": OK", verify.Output, StringComparison.Ordinal);
        }

        var authText = (await Openssl.RunAsync(hub.WorkDirectory.FullName, "x509", "-in", auth, "-noout", "-text", "-nameopt", "multiline,utf8,-esc_msb")).Output;
        var signText = (await Openssl.RunAsync(hub.WorkDirectory.FullName, "x509", "-in", sign, "-noout", "-text", "-nameopt", "multiline,utf8,-esc_msb")).Output;
        foreach (var text in new[] { authText, signText })
        {
            var compact = text.Replace(" ", string.Empty, StringComparison.Ordinal);
            Assert.Contains($"serialNumber=PNOXA-{issued.NationalId}", compact, StringComparison.Ordinal);
            Assert.Contains("givenName=ŽofiaAnna", compact, StringComparison.Ordinal);
            Assert.Contains("surname=Ņikolajeva-Öström", compact, StringComparison.Ordinal);
            Assert.Contains("countryName=XA", compact, StringComparison.Ordinal);
        }

        Assert.Contains("Digital Signature", authText, StringComparison.Ordinal);
        Assert.DoesNotContain("Non Repudiation", authText, StringComparison.Ordinal);
        Assert.Contains("Non Repudiation", signText, StringComparison.Ordinal);
        Assert.DoesNotContain("Digital Signature", signText, StringComparison.Ordinal);
        Assert.Contains("0.4.0.194112.1.2", signText, StringComparison.Ordinal); // QCP-n-qscd

        // openssl prints qcStatements as DER: parse it and look for QcCompliance, QcSSCD and QcType esign.
        var statements = await Openssl.RunAsync(hub.WorkDirectory.FullName, "asn1parse", "-in", sign, "-i");
        Assert.Contains("qcStatements", statements.Output, StringComparison.Ordinal);
        var der = await File.ReadAllTextAsync(sign);
        var parsed = Org.BouncyCastle.Asn1.X509.X509CertificateStructure.GetInstance(Convert.FromBase64String(
            string.Concat(der.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))));
        var qc = parsed.TbsCertificate.Extensions.GetExtension(Org.BouncyCastle.Asn1.X509.X509Extensions.QCStatements).GetParsedValue().ToString()!;
        Assert.Contains("0.4.0.1862.1.1", qc, StringComparison.Ordinal);
        Assert.Contains("0.4.0.1862.1.4", qc, StringComparison.Ordinal);
        Assert.Contains("0.4.0.1862.1.6.1", qc, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OCSP_follows_suspend_resume_and_revoke_at_once()
    {
        var issued = await _driver.IssuedAsync();
        var (auth, sign) = await WriteCertificatesAsync(issued);
        Assert.Contains(": good", await OcspAsync(auth, "citizen-auth"), StringComparison.Ordinal);

        EnrolmentDriver.Ok(await Lifecycle(l => l.SuspendAsync(issued.DocumentNumber, "Citizen reported the letter stolen", EnrolmentDriver.Officer, CancellationToken.None)));
        var suspended = await OcspAsync(auth, "citizen-auth");
        Assert.Contains(": revoked", suspended, StringComparison.Ordinal);
        Assert.Contains("Reason: certificateHold", suspended, StringComparison.Ordinal);
        Assert.Contains("Reason: certificateHold", await OcspAsync(sign, "citizen-sign"), StringComparison.Ordinal);

        EnrolmentDriver.Ok(await Lifecycle(l => l.ResumeAsync(issued.DocumentNumber, "Letter found", EnrolmentDriver.Officer, CancellationToken.None)));
        Assert.Contains(": good", await OcspAsync(auth, "citizen-auth"), StringComparison.Ordinal);

        EnrolmentDriver.Ok(await Lifecycle(l => l.RevokeAsync(issued.DocumentNumber, RevocationReason.KeyCompromise, "Citizen's phone stolen", EnrolmentDriver.Officer, CancellationToken.None)));
        var revoked = await OcspAsync(sign, "citizen-sign");
        Assert.Contains(": revoked", revoked, StringComparison.Ordinal);
        Assert.Contains("Reason: keyCompromise", revoked, StringComparison.Ordinal);

        // Revocation deletes nothing: enrolment evidence, person history, keys and certificates stay.
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        Assert.True(await db.Enrolments.AnyAsync(e => e.Id == issued.EnrolmentId && e.PhotoCiphertext != null));
        Assert.Equal(2, await db.EidKeys.CountAsync(k => k.EidId == issued.EidId));
        Assert.Equal(EidStatus.Revoked, (await db.Eids.SingleAsync(e => e.Id == issued.EidId)).Status);
        var events = await db.AuditEvents.Where(e => e.Subject == issued.NationalId).Select(e => e.Type).ToListAsync();
        Assert.Contains("eid.suspended", events);
        Assert.Contains("eid.resumed", events);
        Assert.Contains("eid.revoked", events);
    }

    [Fact]
    public async Task Wrong_lifecycle_steps_are_refused_and_change_nothing()
    {
        var issued = await _driver.IssuedAsync();
        var before = await _driver.FootprintAsync();

        var resume = await Lifecycle(l => l.ResumeAsync(issued.DocumentNumber, "not suspended", EnrolmentDriver.Officer, CancellationToken.None));
        var noReason = await Lifecycle(l => l.SuspendAsync(issued.DocumentNumber, " ", EnrolmentDriver.Officer, CancellationToken.None));
        var hold = await Lifecycle(l => l.RevokeAsync(issued.DocumentNumber, RevocationReason.CertificateHold, "use suspend", EnrolmentDriver.Officer, CancellationToken.None));
        var auditor = await Lifecycle(l => l.SuspendAsync(issued.DocumentNumber, "auditors only look", EnrolmentDriver.Auditor, CancellationToken.None));

        Assert.Equal(EnrolmentErrors.InvalidState, resume.ErrorCode);
        Assert.Equal("Reason", Assert.Single(noReason.Errors).Field);
        Assert.Equal(EnrolmentErrors.Validation, hold.ErrorCode);
        Assert.Equal(EnrolmentErrors.Forbidden, auditor.ErrorCode);
        Assert.Equal(before, await _driver.FootprintAsync());
    }

    [Fact]
    public async Task Renewal_issues_new_keys_and_certificates_and_revokes_the_old_ones_as_superseded()
    {
        var issued = await _driver.IssuedAsync();
        var (oldAuth, _) = await WriteCertificatesAsync(issued);

        var renewed = EnrolmentDriver.Ok(await Lifecycle(l => l.RenewAsync(issued.DocumentNumber, EnrolmentDriver.Officer, CancellationToken.None)));

        Assert.Equal(4, renewed.Keys.Count);
        Assert.Equal(2, renewed.Keys.Count(k => k.RetiredAt is null));
        Assert.NotEqual(issued.AuthenticationCertificateSerial, renewed.Current(EidKeyPurpose.Authentication)!.CertificateSerial);
        var old = await OcspAsync(oldAuth, "citizen-auth");
        Assert.Contains("Reason: superseded", old, StringComparison.Ordinal);
        var (newAuth, _) = await WriteCertificatesAsync(issued);
        Assert.Contains(": good", await OcspAsync(newAuth, "citizen-auth"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replacement_after_loss_revokes_the_old_eID_and_issues_a_new_one_to_the_same_person()
    {
        var issued = await _driver.IssuedAsync();

        var replacement = EnrolmentDriver.Ok(await Lifecycle(l => l.ReplaceAsync(issued.DocumentNumber, RevocationReason.KeyCompromise, "Lost with wallet", EnrolmentDriver.Officer, CancellationToken.None)));

        Assert.NotEqual(issued.DocumentNumber, replacement.DocumentNumber);
        Assert.Equal(issued.EidId, replacement.ReplacesEidId);
        Assert.Equal(EidStatus.Active, replacement.Status);
        var old = EnrolmentDriver.Ok(await Lifecycle(l => l.GetAsync(issued.DocumentNumber, EnrolmentDriver.Officer, CancellationToken.None)));
        Assert.Equal(EidStatus.Revoked, old.Status);
        await using var scope = hub.App.Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<RegistryConsistency>().CheckAsync(CancellationToken.None);
        Assert.Empty(report.Problems);
    }

    [Fact]
    public async Task The_activation_letter_code_is_stored_only_as_a_hash_and_a_reprint_invalidates_the_first()
    {
        var issued = await _driver.IssuedAsync();

        var first = EnrolmentDriver.Ok(await _driver.WithAsync<EidLifecycle, Outcome<ActivationLetterContent>>(l => l.PrintLetterAsync(issued.DocumentNumber, EnrolmentDriver.Officer, CancellationToken.None)));
        var second = EnrolmentDriver.Ok(await _driver.WithAsync<EidLifecycle, Outcome<ActivationLetterContent>>(l => l.PrintLetterAsync(issued.DocumentNumber, EnrolmentDriver.Officer, CancellationToken.None)));

        await using var scope = hub.App.Services.CreateAsyncScope();
        var eid = await scope.ServiceProvider.GetRequiredService<HubDbContext>().Eids.SingleAsync(e => e.Id == issued.EidId);
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$", second.ActivationCode);
        Assert.True(ActivationCodes.Matches(eid.Id, second.ActivationCode.ToLowerInvariant(), eid.ActivationCodeHash!));
        Assert.False(ActivationCodes.Matches(eid.Id, first.ActivationCode, eid.ActivationCodeHash!));
        Assert.Equal(32, eid.ActivationCodeHash!.Length); // SHA-256, not the code
        Assert.True(eid.ActivationCodeExpiresAt > DateTimeOffset.UtcNow.AddDays(29));
    }
}
