using System.Net;
using System.Text.Json.Nodes;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Enrolment;
using IdentityHub.Enrolment.Lifecycle;
using IdentityHub.Enrolment.Registry;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Pki;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Enrolment;

/// <summary>
/// What a counter may touch (docs/enrolment.md, "Who may touch what"): the records of its own service point; the
/// national helpdesk reads and suspends everywhere; replacing the eID of a citizen with an account (the takeover path
/// through a new activation letter) needs a supervisor and tells the citizen.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class ScopeTests(HubFixture hub) : IAsyncLifetime
{
    private readonly EnrolmentDriver _driver = new(hub);
    private readonly string _suffix = EnrolmentDriver.UniqueLetters(Guid.NewGuid().ToString("N")[..6]);
    private CounterDeviceClient _elsewhere = null!;
    private CounterStaff _officer = null!;

    private string Elsewhere => "SC-" + _suffix.ToUpperInvariant();

    public async Task InitializeAsync()
    {
        await _driver.EnsureServicePointAsync();
        _elsewhere = await CounterDeviceClient.IssueAsync(hub, Elsewhere, "far-desk-" + _suffix);
        _officer = await hub.CreateCounterStaffAsync("sc.officer." + _suffix, StaffRoles.Officer, Elsewhere);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_counter_cannot_read_or_revoke_a_record_of_another_service_point()
    {
        var issued = await _driver.IssuedAsync(); // at IT-01
        var session = await _elsewhere.SignInAsync(_officer);
        var footprint = await _driver.FootprintAsync();

        var eid = await _elsewhere.SendAsync(HttpMethod.Get, $"/eids/{issued.DocumentNumber}", session: session);
        var person = await _elsewhere.SendAsync(HttpMethod.Get, $"/persons/{issued.NationalId}", session: session);
        var search = await _elsewhere.SendAsync(HttpMethod.Get, $"/persons?nationalId={issued.NationalId}", session: session);
        var enrolment = await _elsewhere.SendAsync(HttpMethod.Get, $"/enrolments/{issued.EnrolmentId}", session: session);
        var revoke = await _elsewhere.SendAsync(HttpMethod.Post, $"/eids/{issued.DocumentNumber}/revoke", new { reason = "keyCompromise", note = "Not theirs" }, session);
        var suspend = await _elsewhere.SendAsync(HttpMethod.Post, $"/eids/{issued.DocumentNumber}/suspend", new { reason = "Not theirs" }, session);

        await OfficerSessionTests.ProblemAsync(eid, HttpStatusCode.NotFound, "not_found");
        await OfficerSessionTests.ProblemAsync(person, HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        Assert.Empty(JsonNode.Parse(await search.Content.ReadAsStringAsync())!.AsArray());
        await OfficerSessionTests.ProblemAsync(enrolment, HttpStatusCode.NotFound, "not_found");
        await OfficerSessionTests.ProblemAsync(revoke, HttpStatusCode.NotFound, "not_found");
        await OfficerSessionTests.ProblemAsync(suspend, HttpStatusCode.NotFound, "not_found");
        Assert.Equal(footprint, await _driver.FootprintAsync());
        var refusals = await _driver.WithAsync<HubDbContext, List<string>>(db =>
            db.AuditEvents.Where(e => e.Type == "registry.scope.refused" && e.Actor == _officer.UserName).Select(e => e.Details).ToListAsync());
        Assert.Equal(5, refusals.Count);
    }

    [Fact]
    public async Task Recording_an_enrolment_for_the_person_at_this_counter_brings_their_records_into_its_scope()
    {
        var issued = await _driver.IssuedAsync();
        var session = await _elsewhere.SignInAsync(_officer);
        await OfficerSessionTests.ProblemAsync(await _elsewhere.SendAsync(HttpMethod.Get, $"/eids/{issued.DocumentNumber}", session: session), HttpStatusCode.NotFound, "not_found");

        var presented = await _elsewhere.SendAsync(HttpMethod.Post, "/enrolments", new
        {
            existingNationalId = issued.NationalId,
            givenNames = "Žofia Anna",
            surname = "Presented " + EnrolmentDriver.UniqueLetters(Guid.NewGuid().ToString("N")[..6]),
            dateOfBirth = "1987-03-27",
            placeOfBirth = "Tallinn",
            nationality = "EST",
            documentType = "identity-card",
            documentNumber = "C" + Guid.NewGuid().ToString("N")[..9].ToUpperInvariant(),
            documentIssuingState = "EST",
            documentExpiresOn = DateTime.UtcNow.AddYears(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        }, session, Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, presented.StatusCode);

        var eid = await _elsewhere.SendAsync(HttpMethod.Get, $"/eids/{issued.DocumentNumber}", session: session);
        Assert.Equal(HttpStatusCode.OK, eid.StatusCode);
        var suspended = await _elsewhere.SendAsync(HttpMethod.Post, $"/eids/{issued.DocumentNumber}/suspend", new { reason = "Reported lost at this counter" }, session);
        Assert.Equal("suspended", (string?)JsonNode.Parse(await suspended.Content.ReadAsStringAsync())!["status"]);
    }

    [Fact]
    public async Task The_helpdesk_reads_and_suspends_everywhere_but_does_not_revoke_and_every_look_is_audited()
    {
        var issued = await _driver.IssuedAsync();
        var helpdesk = new StaffActor("helpdesk." + _suffix, new HashSet<string> { StaffRoles.Helpdesk }, "console")
        {
            AccountId = Guid.NewGuid(),
            ServicePoints = new HashSet<string>(),
        };

        var viewed = await _driver.WithAsync<EidLifecycle, Outcome<EidView>>(l => l.GetAsync(issued.DocumentNumber, helpdesk, CancellationToken.None));
        var suspended = await _driver.WithAsync<EidLifecycle, Outcome<EidView>>(l => l.SuspendAsync(issued.DocumentNumber, "Lost: reported by phone", helpdesk, CancellationToken.None));
        var revoked = await _driver.WithAsync<EidLifecycle, Outcome<EidView>>(l => l.RevokeAsync(issued.DocumentNumber, RevocationReason.KeyCompromise, "x", helpdesk, CancellationToken.None));

        Assert.True(viewed.Succeeded);
        Assert.Equal(IdentityHub.Data.Registry.EidStatus.Suspended, EnrolmentDriver.Ok(suspended).Status);
        Assert.Equal(EnrolmentErrors.Forbidden, revoked.ErrorCode);
        var looks = await _driver.WithAsync<HubDbContext, int>(db => db.AuditEvents.CountAsync(e => e.Type == "registry.eid.viewed" && e.Actor == helpdesk.UserName));
        Assert.Equal(1, looks);
    }

    [Fact]
    public async Task Four_eyes_compares_accounts_not_names()
    {
        var recorder = new StaffActor("fe.sam." + _suffix, new HashSet<string> { StaffRoles.Supervisor }, "test") { AccountId = Guid.NewGuid() };
        var sameAccountOtherName = recorder with { UserName = "fe.someone-else." + _suffix };
        var otherAccountSameName = recorder with { AccountId = Guid.NewGuid() };
        await _driver.EnsureServicePointAsync();
        var created = EnrolmentDriver.Ok(await _driver.CreateAsync(EnrolmentDriver.NewPerson(), actor: recorder));
        EnrolmentDriver.Ok(await _driver.WithAsync<IdentityHub.Enrolment.Proofing.EnrolmentService, Outcome<IdentityHub.Enrolment.Proofing.EnrolmentView>>(
            s => s.VerifyAsync(created.Id, EnrolmentDriver.Officer, CancellationToken.None)));

        var byAlias = await _driver.WithAsync<IdentityHub.Enrolment.Proofing.EnrolmentService, Outcome<IdentityHub.Enrolment.Proofing.EnrolmentView>>(
            s => s.ApproveAsync(created.Id, sameAccountOtherName, CancellationToken.None));
        var byNamesake = await _driver.WithAsync<IdentityHub.Enrolment.Proofing.EnrolmentService, Outcome<IdentityHub.Enrolment.Proofing.EnrolmentView>>(
            s => s.ApproveAsync(created.Id, otherAccountSameName, CancellationToken.None));

        Assert.Equal(EnrolmentErrors.FourEyes, byAlias.ErrorCode);
        Assert.True(byNamesake.Succeeded);
    }

    [Fact]
    public async Task Replacing_the_eID_of_a_citizen_with_an_account_and_printing_its_letter_need_a_supervisor_and_notify_the_citizen()
    {
        var letter = await hub.IssueCitizenAsync();
        var citizen = await hub.ActivateWithTotpAsync(letter);
        var device = await CounterDeviceClient.IssueAsync(hub, Citizens.ServicePoint, "rp-desk-" + _suffix);
        var officer = await device.SignInAsync(await hub.CreateCounterStaffAsync("rp.officer." + _suffix, StaffRoles.Officer, Citizens.ServicePoint));
        var supervisor = await device.SignInAsync(await hub.CreateCounterStaffAsync("rp.supervisor." + _suffix, StaffRoles.Supervisor, Citizens.ServicePoint));
        var footprint = await _driver.FootprintAsync();

        var byOfficer = await device.SendAsync(HttpMethod.Post, $"/eids/{letter.DocumentNumber}/replace", new { reason = "keyCompromise", note = "Card lost" }, officer);
        await OfficerSessionTests.ProblemAsync(byOfficer, HttpStatusCode.Forbidden, "supervisor_required");
        Assert.Equal(footprint, await _driver.FootprintAsync());

        var replaced = await device.SendAsync(HttpMethod.Post, $"/eids/{letter.DocumentNumber}/replace", new { reason = "keyCompromise", note = "Card lost" }, supervisor);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var newDocument = (string)JsonNode.Parse(await replaced.Content.ReadAsStringAsync())!["documentNumber"]!;
        await OfficerSessionTests.ProblemAsync(await device.SendAsync(HttpMethod.Post, $"/eids/{newDocument}/activation-letter", session: officer),
            HttpStatusCode.Forbidden, "supervisor_required");
        var printed = await device.SendAsync(HttpMethod.Post, $"/eids/{newDocument}/activation-letter", session: supervisor);
        Assert.Equal(HttpStatusCode.OK, printed.StatusCode);

        var notices = await _driver.WithAsync<HubDbContext, List<string>>(db => db.AccountNotices
            .Where(n => db.Users.Any(u => u.Id == n.AccountId && u.UserName == letter.NationalId)).OrderBy(n => n.Id).Select(n => n.Kind).ToListAsync());
        // The activation's own notice (the first app set up) comes first; the two about the takeover path follow.
        Assert.Equal(["factor-added", "eid-replaced", "activation-letter-printed"], notices);
        var audited = await _driver.WithAsync<HubDbContext, List<string>>(db => db.AuditEvents
            .Where(e => e.Type == "eid.replaced" && e.Subject == letter.NationalId).Select(e => e.Details).ToListAsync());
        Assert.Contains("\"holderNotified\":\"yes\"", Assert.Single(audited), StringComparison.Ordinal);
        Assert.NotNull(citizen);
    }
}
