using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Pki;
using IdentityHub.Enrolment.Lifecycle;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Pki;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Enrolment;

/// <summary>
/// A name change (issue 8, point 8): an enrolment with evidence and four-eyes approval; the person gets a new version,
/// and the certificates carrying the old name are replaced on the same eID, the old ones revoked as superseded.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class ChangeOfParticularsTests(HubFixture hub) : IAsyncLifetime
{
    private readonly EnrolmentDriver _driver = new(hub);
    private readonly string _suffix = EnrolmentDriver.UniqueLetters(Guid.NewGuid().ToString("N")[..6]);
    private CounterDeviceClient _device = null!;
    private string _officer = null!;
    private string _supervisor = null!;

    public async Task InitializeAsync()
    {
        await _driver.EnsureServicePointAsync();
        _device = await CounterDeviceClient.IssueAsync(hub, Citizens.ServicePoint, "names-" + _suffix);
        _officer = await _device.SignInAsync(await hub.CreateCounterStaffAsync("cp.officer." + _suffix, StaffRoles.Officer, Citizens.ServicePoint));
        _supervisor = await _device.SignInAsync(await hub.CreateCounterStaffAsync("cp.supervisor." + _suffix, StaffRoles.Supervisor, Citizens.ServicePoint));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static object Change(string nationalId, string givenNames, string surname, string? evidence = "marriage certificate 123/2026") => new
    {
        purpose = "changeOfParticulars",
        existingNationalId = nationalId,
        changeEvidence = evidence,
        givenNames,
        surname,
        dateOfBirth = "1984-03-27",
        placeOfBirth = "Tartu",
        nationality = "EST",
        documentType = "passport",
        documentNumber = "N" + Guid.NewGuid().ToString("N")[..9].ToUpperInvariant(),
        documentIssuingState = "EST",
        documentExpiresOn = DateTime.UtcNow.AddYears(5).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        photo = Convert.ToBase64String(EnrolmentDriver.Photo.Content),
        postalAddress = "Rüütli 12-4\n51007 Tartu",
    };

    [Fact]
    public async Task A_name_change_with_evidence_and_four_eyes_gives_a_new_version_and_replaces_the_certificates()
    {
        var letter = await hub.IssueCitizenAsync("Kadri");
        await hub.ActivateWithTotpAsync(letter);
        var oldSerials = await _driver.WithAsync<HubDbContext, List<string>>(db => db.EidKeys
            .Where(k => db.Eids.Any(e => e.Id == k.EidId && e.DocumentNumber == letter.DocumentNumber) && k.RetiredAt == null)
            .Select(k => k.CertificateSerial).ToListAsync());
        var newSurname = "Kask-" + _suffix;

        var created = await _device.SendAsync(HttpMethod.Post, "/enrolments", Change(letter.NationalId, "Kadri", newSurname), _officer, Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var enrolment = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        Assert.Equal("changeOfParticulars", (string?)enrolment["purpose"]);
        var id = (string)enrolment["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await _device.SendAsync(HttpMethod.Post, $"/enrolments/{id}/verify", session: _officer)).StatusCode);
        await OfficerSessionTests.ProblemAsync(await _device.SendAsync(HttpMethod.Post, $"/enrolments/{id}/issue", session: _officer, key: Guid.NewGuid().ToString()),
            HttpStatusCode.Conflict, "invalid_state"); // not approved yet
        Assert.Equal(HttpStatusCode.OK, (await _device.SendAsync(HttpMethod.Post, $"/enrolments/{id}/approve", session: _supervisor)).StatusCode);
        var applied = await _device.SendAsync(HttpMethod.Post, $"/enrolments/{id}/issue", session: _officer, key: Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
        Assert.Equal(letter.DocumentNumber, (string?)JsonNode.Parse(await applied.Content.ReadAsStringAsync())!["documentNumber"]);
        var person = JsonNode.Parse(await (await _device.SendAsync(HttpMethod.Get, $"/persons/{letter.NationalId}", session: _officer)).Content.ReadAsStringAsync())!;
        Assert.Equal(newSurname, (string?)person["person"]!["surname"]);
        var latest = person["history"]![0]!;
        Assert.Equal(2, (int)latest["version"]!);
        Assert.Equal("Change of particulars: marriage certificate 123/2026", (string?)latest["reason"]);

        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var old = await db.IssuedCertificates.Where(c => oldSerials.Contains(c.SerialNumber)).ToListAsync();
        Assert.Equal(2, old.Count);
        Assert.All(old, c =>
        {
            Assert.Equal(CertificateStatus.Revoked, c.Status);
            Assert.Equal((int)RevocationReason.Superseded, c.RevocationReason);
        });
        var current = await db.EidKeys.Where(k => db.Eids.Any(e => e.Id == k.EidId && e.DocumentNumber == letter.DocumentNumber) && k.RetiredAt == null).ToListAsync();
        Assert.Equal(2, current.Count);
        foreach (var key in current)
        {
            var der = await db.IssuedCertificates.Where(c => c.SerialNumber == key.CertificateSerial).Select(c => c.CertificateDer).SingleAsync();
            var subject = X509CertificateLoader.LoadCertificate(der).SubjectName.Format(false);
            Assert.Contains("SN=" + newSurname, subject, StringComparison.Ordinal);
        }

        var account = await db.Users.SingleAsync(u => u.UserName == letter.NationalId);
        Assert.Equal("Kadri " + newSurname, account.DisplayName);
        Assert.Contains(await db.AccountNotices.Where(n => n.AccountId == account.Id).Select(n => n.Kind).ToListAsync(), k => k == "particulars-changed");
        Assert.Equal("Rüütli 12-4\n51007 Tartu", await db.Persons.Where(p => p.NationalId == letter.NationalId).Select(p => p.PostalAddress).SingleAsync());
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Type == "person.particulars.changed" && e.Subject == letter.NationalId));
    }

    [Fact]
    public async Task A_change_without_evidence_without_a_current_eID_or_without_a_change_is_refused_and_nothing_is_written()
    {
        var letter = await hub.IssueCitizenAsync("Piret");
        var footprint = await _driver.FootprintAsync();

        var noEvidence = await _device.SendAsync(HttpMethod.Post, "/enrolments", Change(letter.NationalId, "Piret", "Mets-" + _suffix, evidence: null), _officer, Guid.NewGuid().ToString());
        var unchanged = await _device.SendAsync(HttpMethod.Post, "/enrolments", Change(letter.NationalId, "Piret", letter.Surname), _officer, Guid.NewGuid().ToString());
        var problem = await OfficerSessionTests.ProblemAsync(noEvidence, HttpStatusCode.BadRequest, "validation");
        Assert.NotNull(problem["errors"]!["changeEvidence"]);
        Assert.Contains("nothing to change", (string?)(await OfficerSessionTests.ProblemAsync(unchanged, HttpStatusCode.BadRequest, "validation"))["detail"], StringComparison.Ordinal);

        EnrolmentDriver.Ok(await _driver.WithAsync<EidLifecycle, IdentityHub.Enrolment.Outcome<IdentityHub.Enrolment.Registry.EidView>>(l =>
            l.RevokeAsync(letter.DocumentNumber, RevocationReason.CessationOfOperation, "ended", EnrolmentDriver.Supervisor, CancellationToken.None)));
        footprint = await _driver.FootprintAsync();
        var noEid = await _device.SendAsync(HttpMethod.Post, "/enrolments", Change(letter.NationalId, "Piret", "Mets-" + _suffix), _officer, Guid.NewGuid().ToString());
        Assert.Contains("no current eID", (string?)(await OfficerSessionTests.ProblemAsync(noEid, HttpStatusCode.BadRequest, "validation"))["detail"], StringComparison.Ordinal);
        Assert.Equal(footprint, await _driver.FootprintAsync());
    }
}
