using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Pki;
using IdentityHub.IntegrationTests.Authentication;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Console;

/// <summary>
/// The console's enrolment pages over HTTP (issue 8, point 9): the face photo a draft lacks is added on its page before the
/// evidence is verified; dates are typed as day, month and year; a change of particulars is recorded from the person page
/// and goes through verify, four-eyes approval and apply; an empty revoke or replace note is named before the confirmation.
/// </summary>
[Collection(HubCollection.Name)]
public sealed partial class EnrolmentPagesTests(HubFixture hub)
{
    /// <summary>A 1×1 PNG: the hub checks the image signature, not the face.</summary>
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    private static string Letters() => new(Guid.NewGuid().ToString("N")[..8].Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))).ToArray());

    private static string DocumentNumber() => "P" + Guid.NewGuid().ToString("N")[..9].ToUpperInvariant();

    private static Dictionary<string, string> NewEnrolment(string surname, string servicePoint) => new()
    {
        ["Form.GivenNames"] = "Žofia Anna",
        ["Form.Surname"] = surname,
        ["Form.DateOfBirth.Day"] = "27",
        ["Form.DateOfBirth.Month"] = "3",
        ["Form.DateOfBirth.Year"] = "1987",
        ["Form.PlaceOfBirth"] = "Tartu",
        ["Form.Nationality"] = "EST",
        ["Form.Sex"] = "F",
        ["Form.DocumentType"] = "passport",
        ["Form.DocumentNumber"] = DocumentNumber(),
        ["Form.DocumentIssuingState"] = "EST",
        ["Form.DocumentExpiresOn.Day"] = "14",
        ["Form.DocumentExpiresOn.Month"] = "5",
        ["Form.DocumentExpiresOn.Year"] = (DateTime.UtcNow.Year + 3).ToString(CultureInfo.InvariantCulture),
        ["Form.ServicePoint"] = servicePoint,
    };

    private static bool HasButton(string html, string name) => html.Contains($">{name}</button>", StringComparison.Ordinal);

    [Fact]
    public async Task A_draft_saved_without_a_photo_gets_it_on_its_page_and_only_then_can_the_evidence_be_verified()
    {
        using var officer = await hub.SignedInAsync(StaffRoles.Officer, Citizens.ServicePoint);
        var form = await officer.GetAsync("/console/enrolments/new");
        Assert.Matches("<input id=\"Photo\" name=\"Photo\" type=\"file\"[^>]* required", form.Body);
        Assert.Contains("Required: the evidence cannot be verified without it.", form.Body, StringComparison.Ordinal);

        var saved = await officer.PostAsync("/console/enrolments/new", NewEnrolment("Kask " + Letters(), Citizens.ServicePoint), HubWebClient.TokenOf(form.Body));
        var path = ConsoleOfficers.PathOf(saved);
        Assert.Matches("^/console/enrolments/[0-9a-f-]{36}$", path);
        var id = path[(path.LastIndexOf('/') + 1)..];
        var draft = await officer.GetAsync(path);
        Assert.Contains("Draft enrolment saved without a face photo", draft.Body, StringComparison.Ordinal);
        Assert.True(HasButton(draft.Body, "Add face photo"));
        Assert.False(HasButton(draft.Body, "Evidence verified"));
        Assert.Contains("The evidence can be verified once the face photo is added", draft.Body, StringComparison.Ordinal);

        // A verify posted anyway is refused next to the photo input.
        var early = await officer.PostAsync(path + "?handler=verify", new Dictionary<string, string>(), HubWebClient.TokenOf(draft.Body));
        Assert.Equal(HttpStatusCode.OK, early.Status);
        Assert.Equal([("#Photo", "Capture the face photo before verifying.")], ConsoleOfficers.ErrorSummary(early.Body));

        // The photo is checked like the new-enrolment form's: no file, or bytes that are no JPEG or PNG, are named.
        var none = await officer.PostAsync(path + "?handler=photo", new Dictionary<string, string>(), HubWebClient.TokenOf(draft.Body));
        Assert.Equal("#Photo", Assert.Single(ConsoleOfficers.ErrorSummary(none.Body)).Href);
        var text = await officer.PostFileAsync(path + "?handler=photo", new Dictionary<string, string>(), "Photo", "face.png", "image/png",
            "not an image"u8.ToArray(), HubWebClient.TokenOf(draft.Body));
        Assert.Equal([("#Photo", "The face photo must be a JPEG or PNG image.")], ConsoleOfficers.ErrorSummary(text.Body));
        Assert.Contains("id=\"Photo-error\"", text.Body, StringComparison.Ordinal);

        var added = await officer.PostFileAsync(path + "?handler=photo", new Dictionary<string, string>(), "Photo", "face.png", "image/png", Png, HubWebClient.TokenOf(draft.Body));
        Assert.Equal(path, ConsoleOfficers.PathOf(added));
        Assert.Contains("\"channel\":\"console\"", await hub.LastAsync(id, "enrolment.photo.captured"), StringComparison.Ordinal);
        var withPhoto = await officer.GetAsync(path);
        Assert.True(HasButton(withPhoto.Body, "Evidence verified"));
        Assert.False(HasButton(withPhoto.Body, "Add face photo"));
        Assert.Contains($"src=\"/console/enrolments/{id}?handler=photo\"", withPhoto.Body, StringComparison.Ordinal);

        var verified = await officer.PostAsync(path + "?handler=verify", new Dictionary<string, string>(), HubWebClient.TokenOf(withPhoto.Body));
        Assert.Equal(path, ConsoleOfficers.PathOf(verified));
        Assert.Contains(">verified</strong>", (await officer.GetAsync(path)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dates_are_typed_as_day_month_and_year_and_their_errors_name_the_field_in_the_order_of_the_form()
    {
        using var officer = await hub.SignedInAsync(StaffRoles.Officer, Citizens.ServicePoint);
        var form = await officer.GetAsync("/console/enrolments/new");
        // A fieldset whose legend names the date, and three labelled inputs; the day's id is the field's, for the summary's link.
        Assert.Matches("<fieldset class=\"date-fieldset\" role=\"group\"[^>]*>\\s*<legend>Date of birth</legend>", form.Body);
        Assert.Matches("<fieldset class=\"date-fieldset\" role=\"group\"[^>]*>\\s*<legend>Expiry date</legend>", form.Body);
        foreach (var (id, label) in new[] { ("DateOfBirth", "Day"), ("DateOfBirth-month", "Month"), ("DateOfBirth-year", "Year"), ("DocumentExpiresOn", "Day") })
        {
            Assert.Contains($"<label for=\"{id}\">{label}</label>", form.Body, StringComparison.Ordinal);
            Assert.Matches($"<input id=\"{id}\" name=\"Form\\.[A-Za-z]+\\.{label}\" type=\"text\" inputmode=\"numeric\"", form.Body);
        }

        var fields = NewEnrolment("Tamm " + Letters(), Citizens.ServicePoint);
        fields["Form.GivenNames"] = "";
        fields["Form.DateOfBirth.Day"] = "31";
        fields["Form.DateOfBirth.Month"] = "2";
        fields["Form.DocumentExpiresOn.Month"] = "";
        var before = await CountEnrolmentsAsync();

        var refused = await officer.PostAsync("/console/enrolments/new", fields, HubWebClient.TokenOf(form.Body));

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal(
            [
                ("#GivenNames", "Enter the given names as written in the identity document."),
                ("#DateOfBirth", "Date of birth must be a real date."),
                ("#DocumentExpiresOn", "Expiry date must include a month."),
            ],
            ConsoleOfficers.ErrorSummary(refused.Body));
        Assert.Contains("id=\"DateOfBirth-error\"", refused.Body, StringComparison.Ordinal);
        Assert.Contains("<input id=\"DateOfBirth\" name=\"Form.DateOfBirth.Day\" type=\"text\" inputmode=\"numeric\" class=\"date-input-2\" value=\"31\"", refused.Body, StringComparison.Ordinal);
        Assert.Equal(before, await CountEnrolmentsAsync());

        // A date in the future is the service's call, still named after the field.
        fields = NewEnrolment("Tamm " + Letters(), Citizens.ServicePoint);
        fields["Form.DateOfBirth.Year"] = (DateTime.UtcNow.Year + 1).ToString(CultureInfo.InvariantCulture);
        var future = await officer.SubmitAsync("/console/enrolments/new", fields);
        Assert.Equal([("#DateOfBirth", "The date of birth must be today or in the past.")], ConsoleOfficers.ErrorSummary(future.Body));

        // The search by name takes the date of birth the same way.
        var search = await officer.SubmitAsync("/console/persons", new Dictionary<string, string> { ["Surname"] = "Tamm", ["DateOfBirth.Month"] = "3", ["DateOfBirth.Year"] = "1984" });
        Assert.Equal([("#DateOfBirth", "Date of birth must include a day.")], ConsoleOfficers.ErrorSummary(search.Body));
    }

    [Fact]
    public async Task A_change_of_particulars_is_recorded_from_the_person_page_approved_by_a_supervisor_and_replaces_the_certificates()
    {
        var letter = await hub.IssueCitizenAsync("Kadri");
        using var officer = await hub.SignedInAsync(StaffRoles.Officer, Citizens.ServicePoint);
        using var supervisor = await hub.SignedInAsync(StaffRoles.Supervisor, Citizens.ServicePoint);
        var oldSerials = await CurrentSerialsAsync(letter.DocumentNumber);
        var found = await officer.SubmitAsync("/console/persons", new Dictionary<string, string> { ["NationalId"] = letter.NationalId });
        var personPath = PersonLink().Match(found.Body).Value;
        var person = await officer.GetAsync(personPath);
        var changePath = ChangeLink().Match(person.Body).Groups[1].Value;
        Assert.Equal($"/console/enrolments/change-of-particulars/{personPath[(personPath.LastIndexOf('/') + 1)..]}", changePath);

        var form = await officer.GetAsync(changePath);
        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.Contains("name=\"Form.GivenNames\" type=\"text\" value=\"Kadri\"", form.Body, StringComparison.Ordinal); // today's particulars to correct
        Assert.Contains("<input id=\"DateOfBirth\" name=\"Form.DateOfBirth.Day\" type=\"text\" inputmode=\"numeric\" class=\"date-input-2\" value=\"27\"", form.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(letter.NationalId, changePath, StringComparison.Ordinal);
        var newSurname = "Kask-" + Letters();
        var fields = NewEnrolment(newSurname, Citizens.ServicePoint);
        fields["Form.GivenNames"] = "Kadri";
        fields["Form.DateOfBirth.Year"] = "1984";
        fields["Form.Sex"] = "";
        fields["Form.ChangeEvidence"] = "";
        fields["Form.PostalAddress"] = "Rüütli 12-4\n51007 Tartu";

        var noEvidence = await officer.PostFileAsync(changePath, fields, "Photo", "face.png", "image/png", Png, HubWebClient.TokenOf(form.Body));
        Assert.Equal("#ChangeEvidence", Assert.Single(ConsoleOfficers.ErrorSummary(noEvidence.Body)).Href);

        fields["Form.ChangeEvidence"] = "marriage certificate 123/2026";
        var recorded = await officer.PostFileAsync(changePath, fields, "Photo", "face.png", "image/png", Png, HubWebClient.TokenOf(form.Body));
        var enrolmentPath = ConsoleOfficers.PathOf(recorded);
        var draft = await officer.GetAsync(enrolmentPath);
        Assert.Contains($"Change of particulars of {newSurname}, Kadri", draft.Body, StringComparison.Ordinal);
        Assert.Contains("marriage certificate 123/2026", draft.Body, StringComparison.Ordinal);

        Assert.Equal(enrolmentPath, ConsoleOfficers.PathOf(await officer.SubmitAsync(enrolmentPath, new Dictionary<string, string>(), enrolmentPath + "?handler=verify")));
        var own = await officer.GetAsync(enrolmentPath);
        Assert.False(HasButton(own.Body, "Approve enrolment")); // four eyes: not the officer who recorded it
        Assert.Equal(enrolmentPath, ConsoleOfficers.PathOf(await supervisor.SubmitAsync(enrolmentPath, new Dictionary<string, string>(), enrolmentPath + "?handler=approve")));
        var approved = await officer.GetAsync(enrolmentPath);
        Assert.True(HasButton(approved.Body, "Apply change of particulars"));

        var applied = await officer.PostAsync(enrolmentPath + "?handler=issue", new Dictionary<string, string>(), HubWebClient.TokenOf(approved.Body));

        Assert.Equal($"/console/eids/{letter.DocumentNumber}", ConsoleOfficers.PathOf(applied)); // the same eID
        Assert.Contains("Particulars changed for national identifier", (await officer.GetAsync(ConsoleOfficers.PathOf(applied))).Body, StringComparison.Ordinal);
        var after = await officer.GetAsync(personPath);
        Assert.Contains($"<h1>{newSurname}, Kadri</h1>", after.Body, StringComparison.Ordinal);
        Assert.Contains("Change of particulars: marriage certificate 123/2026", after.Body, StringComparison.Ordinal);
        var superseded = (int)global::IdentityHub.Pki.RevocationReason.Superseded;
        Assert.Equal(new[] { superseded, superseded }, await RevocationReasonsAsync(oldSerials));
        Assert.DoesNotContain((await CurrentSerialsAsync(letter.DocumentNumber)), s => oldSerials.Contains(s));
    }

    [Theory]
    [InlineData("revoke", "", "#Note", "Enter a note: what happened, for the record.")]
    [InlineData("revoke", "   ", "#Note", "Enter a note: what happened, for the record.")]
    [InlineData("replace", "", "#ReplaceNote", "Enter what was lost or stolen.")]
    public async Task An_empty_revoke_or_replace_note_is_named_on_the_form_before_the_confirmation_page(string step, string note, string field, string message)
    {
        var letter = await hub.IssueCitizenAsync();
        using var officer = await hub.SignedInAsync(StaffRoles.Officer, Citizens.ServicePoint);
        var eidPath = $"/console/eids/{letter.DocumentNumber}";
        var fields = new Dictionary<string, string> { ["RevocationReason"] = "keyCompromise", ["Note"] = note };

        var refused = await officer.SubmitAsync(eidPath, fields, $"{eidPath}?handler={step}");

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal([(field, message)], ConsoleOfficers.ErrorSummary(refused.Body));
        Assert.Contains($"id=\"{field[1..]}-error\"", refused.Body, StringComparison.Ordinal);
        Assert.Contains($"<title>Error: eID {letter.DocumentNumber}", refused.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("button-warning\">Yes,", refused.Body, StringComparison.Ordinal);
        Assert.Contains(">active</strong>", refused.Body, StringComparison.Ordinal);

        // The control: with a note the same form opens the confirmation page.
        fields["Note"] = "Wallet stolen";
        var confirm = await officer.SubmitAsync(eidPath, fields, $"{eidPath}?handler={step}");
        Assert.Contains($"Yes, {step} eID {letter.DocumentNumber}", confirm.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audit_filter_takes_its_dates_as_day_month_and_year()
    {
        await hub.IssueCitizenAsync();
        using var auditor = await hub.SignedInAsync(StaffRoles.Auditor);

        var since2000 = await auditor.GetAsync("/console/audit?Type=enrolment.approved&From.Day=1&From.Month=1&From.Year=2000");
        var until2000 = await auditor.GetAsync("/console/audit?Type=enrolment.approved&To.Day=1&To.Month=1&To.Year=2000");
        var unreal = await auditor.GetAsync("/console/audit?Type=enrolment.approved&From.Day=31&From.Month=2&From.Year=2026&To.Day=1&To.Year=2026");

        Assert.Contains("<td>enrolment.approved</td>", since2000.Body, StringComparison.Ordinal);
        Assert.Contains("<legend>From date</legend>", since2000.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>enrolment.approved</td>", until2000.Body, StringComparison.Ordinal);
        Assert.Equal([("#From", "From date must be a real date."), ("#To", "To date must include a month.")], ConsoleOfficers.ErrorSummary(unreal.Body));
    }

    private async Task<int> CountEnrolmentsAsync()
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().Enrolments.CountAsync();
    }

    private async Task<List<string>> CurrentSerialsAsync(string documentNumber)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        return await db.EidKeys.Where(k => db.Eids.Any(e => e.Id == k.EidId && e.DocumentNumber == documentNumber) && k.RetiredAt == null)
            .Select(k => k.CertificateSerial).ToListAsync();
    }

    private async Task<int[]> RevocationReasonsAsync(List<string> serials)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().IssuedCertificates
            .Where(c => serials.Contains(c.SerialNumber) && c.Status == CertificateStatus.Revoked).Select(c => c.RevocationReason ?? -1).ToArrayAsync();
    }

    [GeneratedRegex("/console/persons/[0-9a-f-]{36}")]
    private static partial Regex PersonLink();

    [GeneratedRegex("href=\"(/console/enrolments/change-of-particulars/[0-9a-f-]{36})\">Change of particulars</a>")]
    private static partial Regex ChangeLink();
}
