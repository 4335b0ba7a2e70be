using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IdentityHub.Core.Identity;
using IdentityHub.Data;
using IdentityHub.Data.Registry;
using IdentityHub.Enrolment.Registry;
using IdentityHub.Hsm;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Enrolment;

[Collection(HubCollection.Name)]
public sealed class IssuanceTests(HubFixture hub)
{
    private readonly EnrolmentDriver _driver = new(hub);

    [Fact]
    public async Task An_approved_enrolment_becomes_a_person_with_an_active_eID_two_wrapped_keys_and_two_good_certificates()
    {
        var issued = await _driver.IssuedAsync();

        Assert.True(NationalId.TryParse(issued.NationalId, out _, out _));
        Assert.True(IdentityHub.Enrolment.Issuance.DocumentNumbers.IsValid(issued.DocumentNumber));
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var person = await db.Persons.SingleAsync(p => p.NationalId == issued.NationalId);
        Assert.StartsWith("Ņikolajeva-Öström", person.Surname, StringComparison.Ordinal);
        Assert.Equal("Žofia Anna", person.GivenNames);
        var eid = await db.Eids.SingleAsync(e => e.Id == issued.EidId);
        Assert.Equal(EidStatus.Active, eid.Status);
        Assert.Null(eid.ActivationCodeHash); // the code exists only once a letter is printed
        var keys = await db.EidKeys.Where(k => k.EidId == eid.Id).ToListAsync();
        Assert.Equal([EidKeyPurpose.Authentication, EidKeyPurpose.Signature], keys.Select(k => k.Purpose).Order());
        Assert.All(keys, k => Assert.Equal("P-256", k.Algorithm));
        foreach (var key in keys)
        {
            var certificate = await db.IssuedCertificates.SingleAsync(c => c.IssuerName == key.CertificateIssuer && c.SerialNumber == key.CertificateSerial);
            Assert.Equal(IdentityHub.Data.Pki.CertificateStatus.Good, certificate.Status);
            Assert.Equal(key.SubjectPublicKeyInfo, X509CertificateLoader.LoadCertificate(certificate.CertificateDer).PublicKey.ExportSubjectPublicKeyInfo());
        }

        var history = await db.PersonVersions.Where(v => v.PersonId == person.Id).ToListAsync();
        Assert.Equal(1, Assert.Single(history).Version);
        var events = await db.AuditEvents.Where(e => e.Subject == issued.NationalId || e.Subject == issued.EnrolmentId.ToString()).Select(e => e.Type).ToListAsync();
        Assert.Contains("enrolment.created", events);
        Assert.Contains("enrolment.verified", events);
        Assert.Contains("enrolment.approved", events);
        Assert.Contains("eid.issued", events);
    }

    [Fact]
    public async Task The_stored_blob_signs_only_inside_the_token_and_verifies_with_the_certificate()
    {
        var issued = await _driver.IssuedAsync();
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var key = await db.EidKeys.SingleAsync(k => k.EidId == issued.EidId && k.Purpose == EidKeyPurpose.Signature);
        var der = await db.IssuedCertificates.Where(c => c.SerialNumber == key.CertificateSerial).Select(c => c.CertificateDer).SingleAsync();
        var vault = scope.ServiceProvider.GetRequiredService<WrappedKeyVault>();
        var wrapped = new WrappedKey(IdentityHub.Core.Keys.KeyAlgorithm.EcP256, key.WrappedPrivateKey, key.SubjectPublicKeyInfo);
        var digest = SHA256.HashData("document to sign"u8);

        var signature = vault.SignDigest(wrapped, digest, HashAlgorithmName.SHA256);

        using var publicKey = X509CertificateLoader.LoadCertificate(der).GetECDsaPublicKey()!;
        Assert.True(publicKey.VerifyHash(digest, signature));
        // The blob is opaque outside the token: it is no PKCS#8 or EC private key encoding anyone could import.
        Assert.ThrowsAny<CryptographicException>(() => ECDsa.Create().ImportPkcs8PrivateKey(key.WrappedPrivateKey, out _));
        var altered = (byte[])key.WrappedPrivateKey.Clone();
        altered[^3] ^= 0x01;
        Assert.Throws<CryptographicException>(() => vault.SignDigest(wrapped with { Blob = altered }, digest, HashAlgorithmName.SHA256));
    }

    [Fact]
    public async Task Issuing_again_for_the_same_enrolment_is_refused_and_changes_nothing()
    {
        var issued = await _driver.IssuedAsync();
        var before = await _driver.FootprintAsync();

        var again = await _driver.WithAsync<IdentityHub.Enrolment.Issuance.EidIssuer, IdentityHub.Enrolment.Outcome<IdentityHub.Enrolment.Issuance.IssuedEid>>(
            s => s.IssueAsync(issued.EnrolmentId, EnrolmentDriver.Officer, CancellationToken.None));

        Assert.Equal(IdentityHub.Enrolment.EnrolmentErrors.InvalidState, again.ErrorCode);
        Assert.Contains("already issued", again.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(before, await _driver.FootprintAsync());
    }

    [Fact]
    public async Task Lookups_find_the_person_by_national_id_folded_names_and_document_number_and_each_view_is_audited()
    {
        var request = EnrolmentDriver.NewPerson();
        var issued = await _driver.IssuedAsync(request);
        var folded = request.Surname!.Replace("Ņ", "N", StringComparison.Ordinal).Replace("Ö", "O", StringComparison.Ordinal).ToUpperInvariant();

        var byId = EnrolmentDriver.Ok(await _driver.WithAsync<PersonRegistry, IdentityHub.Enrolment.Outcome<IReadOnlyList<PersonView>>>(
            r => r.FindByNationalIdAsync(issued.NationalId, EnrolmentDriver.Auditor, CancellationToken.None)));
        var byName = EnrolmentDriver.Ok(await _driver.WithAsync<PersonRegistry, IdentityHub.Enrolment.Outcome<IReadOnlyList<PersonView>>>(
            r => r.FindByNameAsync(folded, "zofia", new DateOnly(1987, 3, 27), EnrolmentDriver.Officer, CancellationToken.None)));
        var byDocument = EnrolmentDriver.Ok(await _driver.WithAsync<PersonRegistry, IdentityHub.Enrolment.Outcome<IReadOnlyList<PersonView>>>(
            r => r.FindByDocumentNumberAsync(request.DocumentNumber!.ToLowerInvariant(), EnrolmentDriver.Officer, CancellationToken.None)));
        var byEid = EnrolmentDriver.Ok(await _driver.WithAsync<PersonRegistry, IdentityHub.Enrolment.Outcome<IReadOnlyList<PersonView>>>(
            r => r.FindByDocumentNumberAsync(issued.DocumentNumber, EnrolmentDriver.Officer, CancellationToken.None)));

        Assert.Equal(issued.NationalId, Assert.Single(byId).NationalId);
        Assert.Equal(issued.NationalId, Assert.Single(byName).NationalId);
        Assert.Equal(issued.NationalId, Assert.Single(byDocument).NationalId);
        Assert.Equal(issued.NationalId, Assert.Single(byEid).NationalId);
        await using var scope = hub.App.Services.CreateAsyncScope();
        var views = await scope.ServiceProvider.GetRequiredService<HubDbContext>().AuditEvents
            .Where(e => e.Type == "registry.person.viewed" && e.Subject == issued.NationalId).Select(e => e.Actor).ToListAsync();
        Assert.Equal(4, views.Count);
        Assert.Contains(EnrolmentDriver.Auditor.UserName, views);
    }

    [Fact]
    public async Task A_role_without_registry_access_sees_nothing()
    {
        var issued = await _driver.IssuedAsync();
        var admin = EnrolmentDriver.Staff("admin.ada", IdentityHub.Data.Accounts.StaffRoles.Admin);

        var outcome = await _driver.WithAsync<PersonRegistry, IdentityHub.Enrolment.Outcome<PersonDossier>>(
            r => r.GetAsync(issued.NationalId, admin, CancellationToken.None));

        Assert.Equal(IdentityHub.Enrolment.EnrolmentErrors.Forbidden, outcome.ErrorCode);
    }
}
