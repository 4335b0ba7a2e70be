using System.Net;
using System.Text.RegularExpressions;
using IdentityHub.Data.Accounts;
using IdentityHub.Enrolment.Http;
using IdentityHub.IntegrationTests.Authentication;
using IdentityHub.IntegrationTests.Enrolment;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.IntegrationTests.Recovery;

/// <summary>
/// Issuing recovery letters: at a counter through the enrolment API and the console (scoped like every lifecycle step,
/// the identity check confirmed, audited), and by post (one answer for every national id, then printed by hubctl).
/// </summary>
[Collection(HubCollection.Name)]
public sealed partial class RecoveryLetterTests(HubFixture hub) : IAsyncLifetime
{
    private readonly string _suffix = EnrolmentDriver.UniqueLetters(Guid.NewGuid().ToString("N")[..6]);
    private CounterDeviceClient _device = null!;
    private CounterStaff _officer = null!;

    public async Task InitializeAsync()
    {
        _device = await CounterDeviceClient.IssueAsync(hub, Citizens.ServicePoint, "rl-desk-" + _suffix);
        _officer = await hub.CreateCounterStaffAsync("rl.officer." + _suffix, StaffRoles.Officer, Citizens.ServicePoint);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_counter_prints_a_letter_after_the_identity_check_the_print_is_audited_and_its_code_recovers_the_account()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var nationalId = citizen.Letter.NationalId;
        var session = await _device.SignInAsync(_officer);
        var key = Guid.NewGuid().ToString();

        var unchecked_ = await _device.SendAsync(HttpMethod.Post, $"/persons/{nationalId}/recovery-letter", new { identityDocumentChecked = false }, session, Guid.NewGuid().ToString());
        var noKey = await _device.SendAsync(HttpMethod.Post, $"/persons/{nationalId}/recovery-letter", new { identityDocumentChecked = true }, session);
        var printed = await _device.SendAsync(HttpMethod.Post, $"/persons/{nationalId}/recovery-letter", new { identityDocumentChecked = true }, session, key);
        var replay = await _device.SendAsync(HttpMethod.Post, $"/persons/{nationalId}/recovery-letter", new { identityDocumentChecked = true }, session, key);

        await OfficerSessionTests.ProblemAsync(unchecked_, HttpStatusCode.BadRequest, "validation");
        await OfficerSessionTests.ProblemAsync(noKey, HttpStatusCode.BadRequest, "idempotency_key_missing");
        Assert.Equal(HttpStatusCode.OK, printed.StatusCode);
        Assert.Equal("application/pdf", printed.Content.Headers.ContentType?.MediaType);
        Assert.True(printed.Headers.CacheControl?.NoStore);
        await OfficerSessionTests.ProblemAsync(replay, HttpStatusCode.Conflict, "recovery_letter_already_printed");
        Assert.Single(await hub.LettersAsync(nationalId));
        var text = await RecoveryDriver.PdfTextAsync(await printed.Content.ReadAsByteArrayAsync());
        Assert.Contains(nationalId, text, StringComparison.Ordinal);
        var audit = await hub.DbAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.Subject == nationalId && e.Type == "recovery.letter.printed").ToListAsync());
        var printedEvent = Assert.Single(audit);
        Assert.Equal(_officer.UserName, printedEvent.Actor);
        Assert.Contains($"\"channel\":\"api:{_device.Name}@{Citizens.ServicePoint}\"", printedEvent.Details, StringComparison.Ordinal);
        Assert.Contains($"\"servicePoint\":\"{Citizens.ServicePoint}\"", printedEvent.Details, StringComparison.Ordinal);
        Assert.Contains("\"identityChecked\":\"yes\"", printedEvent.Details, StringComparison.Ordinal);

        using var browser = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await browser.RecoverAsync(nationalId, RecoveryDriver.CodeIn(text)), "/account/setup", "code from the PDF");
    }

    [Fact]
    public async Task An_officer_of_another_service_point_is_told_not_found_and_the_refusal_is_audited()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var elsewhere = "RL-" + _suffix.ToUpperInvariant();
        var farDevice = await CounterDeviceClient.IssueAsync(hub, elsewhere, "rl-far-" + _suffix);
        var farOfficer = await hub.CreateCounterStaffAsync("rl.far." + _suffix, StaffRoles.Officer, elsewhere);
        var session = await farDevice.SignInAsync(farOfficer);

        var refused = await farDevice.SendAsync(HttpMethod.Post, $"/persons/{citizen.Letter.NationalId}/recovery-letter",
            new { identityDocumentChecked = true }, session, Guid.NewGuid().ToString());

        await OfficerSessionTests.ProblemAsync(refused, HttpStatusCode.NotFound, "not_found");
        Assert.Empty(await hub.LettersAsync(citizen.Letter.NationalId));
        var refusal = await hub.DbAsync(db => db.AuditEvents.AsNoTracking()
            .SingleAsync(e => e.Subject == citizen.Letter.NationalId && e.Type == "registry.scope.refused" && e.Actor == farOfficer.UserName));
        Assert.Contains("\"what\":\"recovery.letter.printed\"", refusal.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_console_person_page_prints_a_letter_only_once_the_officer_confirms_the_identity_check()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var nationalId = citizen.Letter.NationalId;
        var personId = await hub.DbAsync(db => db.Persons.Where(p => p.NationalId == nationalId).Select(p => p.Id).SingleAsync());
        using var console = await ConsoleAsync(_officer);
        var page = $"/console/persons/{personId}";
        Assert.Contains("Print recovery letter (PDF)", (await console.GetAsync(page)).Body, StringComparison.Ordinal);

        var withoutCheck = await console.SubmitAsync(page, new Dictionary<string, string>(), page + "?handler=RecoveryLetter");
        Assert.Equal(HttpStatusCode.OK, withoutCheck.Status);
        Assert.Contains("Confirm that you checked the person", WebUtility.HtmlDecode(withoutCheck.Body), StringComparison.Ordinal);
        Assert.Empty(await hub.LettersAsync(nationalId));

        var printed = await console.SubmitAsync(page, new Dictionary<string, string> { ["IdentityChecked"] = "true" }, page + "?handler=RecoveryLetter");
        Assert.Equal(HttpStatusCode.OK, printed.Status);
        Assert.StartsWith("%PDF-", printed.Body, StringComparison.Ordinal);
        var letter = Assert.Single(await hub.LettersAsync(nationalId));
        Assert.Equal(("counter", "console", _officer.UserName), (letter.Delivery, letter.Channel, letter.IssuedBy));
        var audit = await hub.LastAsync(nationalId, "recovery.letter.printed");
        Assert.Contains("\"channel\":\"console\"", audit, StringComparison.Ordinal);
        Assert.Contains($"\"servicePoint\":\"{Citizens.ServicePoint}\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asking_by_post_answers_the_same_for_every_national_id_and_queues_one_letter_only_where_there_is_an_address()
    {
        var withAddress = await hub.ActivateWithTotpAsync();
        var withoutAddress = await hub.ActivateWithTotpAsync();
        await SetAddressAsync(withAddress.Letter.NationalId, "Rüütli 12-3\n51007 Tartu\nEstonia");
        var unknown = Core.Identity.NationalId.NewId().Value;
        using var browser = new HubWebClient(hub.BaseAddress);

        var answers = new List<WebPage>();
        foreach (var nationalId in new[] { withAddress.Letter.NationalId, withoutAddress.Letter.NationalId, unknown, withAddress.Letter.NationalId })
        {
            answers.Add(await browser.SubmitAsync("/recover/request", new Dictionary<string, string> { ["NationalId"] = nationalId }));
        }

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Contains("a recovery letter will be posted to that address", answers[0].Body, StringComparison.Ordinal);
        Assert.Single(answers.Select(a => Tokens().Replace(a.Body, "")).Distinct());
        var queued = Assert.Single(await hub.LettersAsync(withAddress.Letter.NationalId));
        Assert.Equal(("post", (DateTimeOffset?)null), (queued.Delivery, queued.PrintedAt));
        Assert.Empty(await hub.LettersAsync(withoutAddress.Letter.NationalId));
        var outcomes = (await hub.EventsAsync(withAddress.Letter.NationalId)).Where(e => e.Type == "recovery.letter.requested").Select(e => e.Details).ToList();
        Assert.Contains("\"queued\"", outcomes[0], StringComparison.Ordinal);
        Assert.Contains("\"already-queued\"", outcomes[1], StringComparison.Ordinal);
        Assert.Contains("\"no-address\"", await hub.LastAsync(withoutAddress.Letter.NationalId, "recovery.letter.requested"), StringComparison.Ordinal);
        Assert.Contains("\"no-account\"", await hub.LastAsync(unknown, "recovery.letter.requested"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hubctl_prints_queued_letters_to_the_registered_address_and_their_code_recovers_the_account()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var nationalId = citizen.Letter.NationalId;
        await SetAddressAsync(nationalId, "Pikk 7\n10123 Tallinn");
        using var browser = new HubWebClient(hub.BaseAddress);
        await browser.SubmitAsync("/recover/request", new Dictionary<string, string> { ["NationalId"] = nationalId });
        var letterId = Assert.Single(await hub.LettersAsync(nationalId)).Id;
        // Queued but not printed: no code exists yet, so nothing can recover the account.
        RecoveryDriver.Refused(await browser.RecoverAsync(nationalId, "AAAA-BBBB-CCCC"));
        Assert.Contains("\"no-letter\"", await hub.LastAsync(nationalId, "auth.recovery.refused"), StringComparison.Ordinal);
        var output = Directory.CreateTempSubdirectory("recovery-letters-");
        try
        {
            var run = await ProcessRunner.RunDotnetAsync(BuiltAssemblies.Hubctl, ["recovery-letters", "print", "--out", output.FullName],
                new Dictionary<string, string?> { ["ConnectionStrings__Hub"] = hub.ConnectionString, ["Pki__PublicBaseUrl"] = "http://hub.test.invalid" });

            Assert.True(run.ExitCode == 0, run.Output + run.Error);
            var file = Path.Combine(output.FullName, $"recovery-letter-{letterId:N}.pdf");
            Assert.True(File.Exists(file), run.Output);
            var text = await RecoveryDriver.PdfTextAsync(await File.ReadAllBytesAsync(file));
            Assert.Contains("Pikk 7", text, StringComparison.Ordinal);
            Assert.Contains("10123 Tallinn", text, StringComparison.Ordinal);
            var letter = Assert.Single(await hub.LettersAsync(nationalId));
            Assert.NotNull(letter.PrintedAt);
            var audit = await hub.DbAsync(db => db.AuditEvents.AsNoTracking().SingleAsync(e => e.Subject == nationalId && e.Type == "recovery.letter.printed"));
            Assert.StartsWith("hubctl", audit.Actor, StringComparison.Ordinal);
            Assert.Contains("\"delivery\":\"post\"", audit.Details, StringComparison.Ordinal);

            CitizenWeb.Expect(await browser.RecoverAsync(nationalId, RecoveryDriver.CodeIn(text)), "/account/setup", "code from the posted letter");
            Assert.Contains("\"delivery\":\"post\"", await hub.LastAsync(nationalId, "auth.recovery.completed"), StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private Task SetAddressAsync(string nationalId, string address) =>
        hub.DbAsync(db => db.Persons.Where(p => p.NationalId == nationalId).ExecuteUpdateAsync(u => u.SetProperty(p => p.PostalAddress, address)));

    private async Task<HubWebClient> ConsoleAsync(CounterStaff staff)
    {
        var client = new HubWebClient(hub.BaseAddress);
        var password = await client.SubmitAsync("/console/sign-in", new Dictionary<string, string> { ["UserName"] = staff.UserName, ["Password"] = staff.Password });
        Assert.Equal(HttpStatusCode.Redirect, password.Status);
        var verify = await client.SubmitAsync(password.Location!, new Dictionary<string, string> { ["Code"] = staff.NextCode() }, password.Location + "?handler=Totp");
        Assert.True(verify.Status == HttpStatusCode.Redirect, $"console TOTP answered {(int)verify.Status}");
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]*\"|value=\"[^\"]*\" name=\"__RequestVerificationToken\"|<input[^>]*__RequestVerificationToken[^>]*>")]
    private static partial Regex Tokens();
}
