using System.Diagnostics;
using System.Globalization;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Pki;
using IdentityHub.Enrolment;
using IdentityHub.Enrolment.Issuance;
using IdentityHub.Enrolment.Proofing;
using IdentityHub.Enrolment.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdentityHub.BrowserTests;

/// <summary>The officer console's enrolment flow in Chromium: every page checked with axe, what it shows asserted.</summary>
public sealed class EnrolmentFlowTests(HubFixture hub, Chromium chromium) : IClassFixture<HubFixture>, IClassFixture<Chromium>
{
    private const string ServicePoint = "BT-01";

    /// <summary>A 1×1 PNG: the hub checks the image signature, not the face.</summary>
    private static readonly byte[] Photo = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    private static string Unique() => new(Guid.NewGuid().ToString("N")[..8].Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))).ToArray());

    private async Task EnsureServicePointAsync()
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ServicePoints>().AddAsync(ServicePoint, "Browser test counter", "browser-tests", CancellationToken.None);
    }

    /// <summary>A new staff account (its one-time password returned), assigned to the browser tests' service point.</summary>
    private async Task<(string User, string Password)> NewStaffAsync(string role)
    {
        var user = $"{role}-{Unique()}";
        var password = await hub.CreateStaffAsync(user, role);
        await AssignServicePointAsync(user, ServicePoint);
        return (user, password);
    }

    /// <summary>
    /// Assigns the staff member to a service point through the service (officers and supervisors act only for the service
    /// points they are assigned to, read when their session begins: docs/enrolment.md). The acceptance walk does the same as
    /// an admin on the staff page (<see cref="AdminAssignsOnTheStaffPageAsync"/>); the other tests take this short cut.
    /// </summary>
    private async Task AssignServicePointAsync(string user, string servicePoint)
    {
        await EnsureServicePointAsync();
        await using var scope = hub.App.Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<IdentityHub.Authentication.Staff.StaffServicePoints>()
            .AssignAsync(user, servicePoint, "browser-tests", CancellationToken.None));
    }

    /// <summary>
    /// An admin signs in on the console, finds the staff member's row on the staff page, picks the service point in its
    /// "Service point" select and presses "Assign service point"; the page confirms it.
    /// </summary>
    private async Task AdminAssignsOnTheStaffPageAsync(string user)
    {
        await EnsureServicePointAsync();
        var adminName = $"admin-{Unique()}";
        var adminPassword = await hub.CreateStaffAsync(adminName, StaffRoles.Admin);
        await using var admin = await BrowserSession.OpenAsync(chromium, hub);
        await admin.SignInAsync(adminName, adminPassword);
        await admin.ChangePasswordAsync(adminPassword, NewPassword);
        await admin.GoToAsync("/console/staff");
        var row = admin.Page.GetByRole(AriaRole.Row).Filter(new() { Has = admin.Page.GetByRole(AriaRole.Cell, new() { Name = user, Exact = true }) });
        await row.GetByLabel("Service point", new() { Exact = true }).SelectOptionAsync(ServicePoint);
        await admin.FollowAsync(row.GetByRole(AriaRole.Button, new() { Name = "Assign service point", Exact = true }));
        await Assertions.Expect(admin.Page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{user} is assigned to service point {ServicePoint}");
    }

    private async Task<BrowserSession> SignedInAsync(string role)
    {
        var (user, password) = await NewStaffAsync(role);
        var session = await BrowserSession.OpenAsync(chromium, hub);
        await session.SignInAsync(user, password);
        await session.ChangePasswordAsync(password, NewPassword);
        return session;
    }

    private const string NewPassword = "blue kites over quiet harbours";

    private static async Task FillDateAsync(IPage page, string legend, DateOnly date)
    {
        var group = page.GetByRole(AriaRole.Group, new() { Name = legend, Exact = true });
        await group.GetByLabel("Day", new() { Exact = true }).FillAsync(date.Day.ToString(CultureInfo.InvariantCulture));
        await group.GetByLabel("Month", new() { Exact = true }).FillAsync(date.Month.ToString(CultureInfo.InvariantCulture));
        await group.GetByLabel("Year", new() { Exact = true }).FillAsync(date.Year.ToString(CultureInfo.InvariantCulture));
    }

    private static async Task FillPersonAsync(IPage page, string surname, DateOnly dateOfBirth, DateOnly documentExpiresOn, bool photo = true)
    {
        await page.GetByLabel("Given names", new() { Exact = true }).FillAsync("Žofia Anna");
        await page.GetByLabel("Surname", new() { Exact = true }).FillAsync(surname);
        await FillDateAsync(page, "Date of birth", dateOfBirth);
        await page.GetByLabel("Place of birth", new() { Exact = true }).FillAsync("Tartu");
        await page.GetByLabel("Nationality", new() { Exact = true }).FillAsync("EST");
        await page.GetByLabel("Sex (optional)", new() { Exact = true }).SelectOptionAsync("F");
        await FillDocumentAsync(page, documentExpiresOn, photo);
    }

    private static async Task FillDocumentAsync(IPage page, DateOnly documentExpiresOn, bool photo)
    {
        await page.GetByLabel("Document type", new() { Exact = true }).SelectOptionAsync("passport");
        await page.GetByLabel("Document number", new() { Exact = true }).FillAsync("P" + Guid.NewGuid().ToString("N")[..9].ToUpperInvariant());
        await page.GetByLabel("Issuing state", new() { Exact = true }).FillAsync("EST");
        await FillDateAsync(page, "Expiry date", documentExpiresOn);
        if (photo)
        {
            await page.GetByLabel("Face photo", new() { Exact = true }).SetInputFilesAsync(FacePhoto());
        }

        await page.GetByLabel("Service point", new() { Exact = true }).SelectOptionAsync(ServicePoint);
    }

    private static FilePayload FacePhoto() => new() { Name = "face.png", MimeType = "image/png", Buffer = Photo };

    private static DateOnly InYears(int years) => DateOnly.FromDateTime(DateTime.UtcNow.AddYears(years));

    /// <summary>A full-page screenshot when HUB_SCREENSHOT_DIR is set (to look at the pages; nothing is asserted on it).</summary>
    private static async Task ShotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("HUB_SCREENSHOT_DIR") is { Length: > 0 } shots)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, name + ".png"), FullPage = true });
        }
    }

    /// <summary>
    /// The acceptance walk of issue 8: the officer signs in on the console with their own password and second factor (a
    /// console session reads their service points when it begins: the enrolment form offers only those), enrols without a
    /// photo, adds it on the draft's page, verifies; a supervisor signed in on their own approves; the officer issues,
    /// prints the letter, finds the person by POST, records and applies a change of particulars (approved by the
    /// supervisor), and revokes through the confirmation page. axe runs on every page.
    /// </summary>
    [Fact]
    public async Task An_officer_signed_in_on_the_console_enrols_without_a_photo_adds_it_a_supervisor_approves_and_the_officer_issues_changes_particulars_and_revokes()
    {
        var surname = "Ņikolajeva-Öström " + Unique();
        // A new officer: the admin creates the account and assigns it to the counter on the console's staff page.
        var user = $"{StaffRoles.Officer}-{Unique()}";
        var oneTimePassword = await hub.CreateStaffAsync(user, StaffRoles.Officer);
        await AdminAssignsOnTheStaffPageAsync(user);
        await using var officer = await BrowserSession.OpenAsync(chromium, hub);
        var page = officer.Page;
        await officer.SignInAsync(user, oneTimePassword);
        await officer.ChangePasswordAsync(oneTimePassword, NewPassword); // first sign-in: own password, then a TOTP app
        await officer.SignOutAsync();
        await officer.CheckPageAsync();
        // The working day's sign-in at the counter: password, then the code of the officer's own app.
        await officer.SignInAsync(user, NewPassword);
        Assert.Equal("/console", officer.PathNow);

        await officer.GoToAsync("/console/enrolments");
        await officer.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "New enrolment" }));
        // The session acts for the service points the officer is assigned to, and only those.
        Assert.Equal([ServicePoint], await page.GetByLabel("Service point", new() { Exact = true }).Locator("option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)"));
        await Assertions.Expect(page.GetByLabel("Face photo", new() { Exact = true })).ToHaveAttributeAsync("required", "");
        await FillPersonAsync(page, surname, new DateOnly(1987, 3, 27), InYears(3), photo: false);
        await ShotAsync(page, "new-enrolment");
        await officer.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save draft enrolment" }));

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Enrolment of {surname}, Žofia Anna");
        await Assertions.Expect(page.Locator("#enrolment-status")).ToHaveTextAsync("draft");
        var enrolmentUrl = officer.PathNow;
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("saved without a face photo");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Evidence verified" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#verify-needs-photo")).ToContainTextAsync("once the face photo is added");
        await ShotAsync(page, "draft-without-photo");

        // The photo recovery: the draft gets its photo on its own page, then the evidence can be verified.
        await page.GetByLabel("Face photo", new() { Exact = true }).SetInputFilesAsync(FacePhoto());
        await officer.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add face photo" }));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Face photo added");
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = $"Face photo taken at the counter for Žofia Anna {surname}" })).ToBeVisibleAsync();
        await officer.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Evidence verified" }));
        await Assertions.Expect(page.Locator("#enrolment-status")).ToHaveTextAsync("verified");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve enrolment" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("Waiting for a supervisor's approval.")).ToBeVisibleAsync();

        await using var supervisor = await SignedInAsync(StaffRoles.Supervisor);
        await supervisor.GoToAsync(enrolmentUrl);
        await supervisor.ClickAsync("Approve enrolment");
        await Assertions.Expect(supervisor.Page.Locator("#enrolment-status")).ToHaveTextAsync("approved");

        await officer.GoToAsync(enrolmentUrl);
        await officer.ClickAsync("Issue eID");
        await Assertions.Expect(page.Locator("#eid-status")).ToHaveTextAsync("active");
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("issued for national identifier");
        // The message also names the document number (ID + 12 digits): take the 11 digits after "national identifier".
        var nationalId = System.Text.RegularExpressions.Regex.Match(await page.Locator("#message").InnerTextAsync(), @"national identifier (\d{11})\b").Groups[1].Value;
        Assert.Matches(@"^\d{11}$", nationalId);
        var eidPath = officer.PathNow;
        var documentNumber = eidPath[(eidPath.LastIndexOf('/') + 1)..];

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Button, new() { Name = "Print activation letter (PDF)" }).ClickAsync());
        var pdf = Path.Combine(Path.GetTempPath(), $"letter-{Guid.NewGuid():N}.pdf");
        await download.SaveAsAsync(pdf);
        try
        {
            var text = await PdfTextAsync(pdf);
            Assert.Contains($"Žofia Anna {surname}", text, StringComparison.Ordinal);
            Assert.Contains(nationalId, text, StringComparison.Ordinal);
            Assert.Matches("[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", text);
        }
        finally
        {
            File.Delete(pdf);
        }

        // The search posts and the result links by the registry's id: the national identifier never appears in a URL.
        await officer.GoToAsync("/console/persons");
        await page.GetByLabel("National identifier", new() { Exact = true }).FillAsync(nationalId);
        await officer.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Find by national identifier" }));
        Assert.DoesNotContain(nationalId, page.Url, StringComparison.Ordinal);
        await officer.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = nationalId }));
        Assert.DoesNotContain(nationalId, page.Url, StringComparison.Ordinal);
        Assert.Matches("^/console/persons/[0-9a-f-]{36}$", officer.PathNow);
        var personPath = officer.PathNow;
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"{surname}, Žofia Anna");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "First enrolment" })).ToBeVisibleAsync();

        // The eID page names its holder.
        await officer.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = documentNumber }));
        await Assertions.Expect(page.Locator("#eid-holder")).ToContainTextAsync($"Žofia Anna {surname}");
        await Assertions.Expect(page.Locator("#eid-holder")).ToContainTextAsync($"national identifier {nationalId}");

        // Change of particulars: a new surname on a marriage certificate, recorded from the person page.
        var married = "Kask-" + Unique();
        await officer.GoToAsync(personPath);
        await officer.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Change of particulars" }));
        await Assertions.Expect(page.GetByLabel("Surname", new() { Exact = true })).ToHaveValueAsync(surname);
        await page.GetByLabel("Surname", new() { Exact = true }).FillAsync(married);
        await FillDocumentAsync(page, InYears(5), photo: true);
        await page.GetByLabel("Evidence for the change", new() { Exact = true }).FillAsync("marriage certificate 123/2026");
        await page.GetByLabel("Postal address (optional)", new() { Exact = true }).FillAsync("Rüütli 12-4\n51007 Tartu");
        await ShotAsync(page, "change-of-particulars");
        await officer.ClickAsync("Record change of particulars");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Change of particulars of {married}, Žofia Anna");
        var changeUrl = officer.PathNow;
        await officer.ClickAsync("Evidence verified");
        await Assertions.Expect(page.Locator("#enrolment-status")).ToHaveTextAsync("verified");
        await supervisor.GoToAsync(changeUrl);
        await supervisor.ClickAsync("Approve enrolment");
        await officer.GoToAsync(changeUrl);
        await ShotAsync(page, "change-approved");
        await officer.ClickAsync("Apply change of particulars");
        Assert.Equal(eidPath, officer.PathNow); // the same eID, with new certificates
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("Particulars changed");
        await Assertions.Expect(page.Locator("#eid-holder")).ToContainTextAsync($"Žofia Anna {married}");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { NameRegex = new System.Text.RegularExpressions.Regex("^retired ") })).ToHaveCountAsync(2);

        // Revoking asks first, naming the holder; only the red button acts.
        await page.GetByLabel("Reason (RFC 5280)", new() { Exact = true }).SelectOptionAsync("cessationOfOperation");
        await page.GetByLabel("Note", new() { Exact = true }).FillAsync("Death certificate seen");
        await officer.ClickAsync("Revoke eID");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Revoke eID {documentNumber}?");
        await Assertions.Expect(page.Locator("#confirm-holder")).ToContainTextAsync($"Žofia Anna {married}");
        await Assertions.Expect(page.Locator("#eid-status")).ToHaveCountAsync(0);
        await officer.ClickAsync($"Yes, revoke eID {documentNumber}");
        await Assertions.Expect(page.Locator("#eid-status")).ToHaveTextAsync("revoked");
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("eID revoked.");
    }

    [Fact]
    public async Task An_officer_suspends_and_then_revokes_an_eID()
    {
        var issued = await IssueThroughServicesAsync();
        await using var officer = await SignedInAsync(StaffRoles.Officer);
        var page = officer.Page;

        await officer.GoToAsync($"/console/eids/{issued.DocumentNumber}");
        await Assertions.Expect(page.Locator("#eid-status")).ToHaveTextAsync("active");
        await page.GetByLabel("Reason for suspending", new() { Exact = true }).FillAsync("Citizen reported the letter stolen");
        await officer.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Suspend eID" }));
        await Assertions.Expect(page.Locator("#eid-status")).ToHaveTextAsync("suspended");
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("eID suspended.");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Suspend eID" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume eID" })).ToBeVisibleAsync();
        Assert.Equal(new[] { 6, 6 }, await RevocationReasonsAsync(issued));

        await page.GetByLabel("Reason (RFC 5280)", new() { Exact = true }).SelectOptionAsync("keyCompromise");
        await page.GetByLabel("Note", new() { Exact = true }).FillAsync("The phone with the authenticator was stolen");
        await officer.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Revoke eID" }));
        await officer.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = $"Yes, revoke eID {issued.DocumentNumber}" }));

        await Assertions.Expect(page.Locator("#eid-status")).ToHaveTextAsync("revoked");
        await Assertions.Expect(page.GetByText("KeyCompromise: The phone with the authenticator was stolen")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button)).ToHaveCountAsync(1); // only "Sign out" is left
        Assert.Equal(new[] { 1, 1 }, await RevocationReasonsAsync(issued));
    }

    [Fact]
    public async Task Revoking_asks_for_confirmation_naming_the_holder_cancel_keeps_the_eID_and_confirming_revokes_it()
    {
        var issued = await IssueThroughServicesAsync();
        await using var officer = await SignedInAsync(StaffRoles.Officer);
        var page = officer.Page;
        var eidPath = $"/console/eids/{issued.DocumentNumber}";

        await officer.GoToAsync(eidPath);
        await Assertions.Expect(page.Locator("#eid-holder")).ToContainTextAsync($"national identifier {issued.NationalId}");
        await Assertions.Expect(page.Locator("#eid-holder")).ToContainTextAsync("Mari Tamm ");
        await page.GetByLabel("Reason (RFC 5280)", new() { Exact = true }).SelectOptionAsync("cessationOfOperation");
        await page.GetByLabel("Note", new() { Exact = true }).FillAsync("Death certificate seen");
        await officer.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Revoke eID" }));

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Revoke eID {issued.DocumentNumber}?");
        Assert.StartsWith($"Revoke eID {issued.DocumentNumber}? – ", await page.TitleAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#confirm-holder")).ToContainTextAsync(issued.NationalId);
        await Assertions.Expect(page.Locator("#confirm-holder")).ToContainTextAsync("Cessation of operation");
        await Assertions.Expect(page.Locator("#confirm-holder")).ToContainTextAsync("Death certificate seen");
        await Assertions.Expect(page.Locator("#confirm-consequences")).ToContainTextAsync("cannot be resumed");
        var confirm = page.GetByRole(AriaRole.Button, new() { Name = $"Yes, revoke eID {issued.DocumentNumber}" });
        await Assertions.Expect(confirm).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bbutton-warning\b"));
        if (Environment.GetEnvironmentVariable("HUB_SCREENSHOT_DIR") is { Length: > 0 } shots)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "revoke-confirmation.png"), FullPage = true });
        }

        Assert.Empty(await RevocationReasonsAsync(issued)); // nothing revoked yet

        await officer.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Cancel, keep the eID as it is" }));
        Assert.Equal(eidPath, officer.PathNow);
        await Assertions.Expect(page.Locator("#eid-status")).ToHaveTextAsync("active");
        Assert.Empty(await RevocationReasonsAsync(issued));

        await page.GetByLabel("Reason (RFC 5280)", new() { Exact = true }).SelectOptionAsync("cessationOfOperation");
        await page.GetByLabel("Note", new() { Exact = true }).FillAsync("Death certificate seen");
        await officer.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Revoke eID" }));
        await officer.FollowAsync(confirm);
        await Assertions.Expect(page.Locator("#eid-status")).ToHaveTextAsync("revoked");
        await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("eID revoked.");
        Assert.Equal(new[] { 5, 5 }, await RevocationReasonsAsync(issued));
    }

    [Fact]
    public async Task Replacing_asks_for_confirmation_naming_the_holder_cancel_keeps_the_eID_and_confirming_replaces_it()
    {
        var issued = await IssueThroughServicesAsync();
        await using var officer = await SignedInAsync(StaffRoles.Officer);
        var page = officer.Page;
        var eidPath = $"/console/eids/{issued.DocumentNumber}";

        await officer.GoToAsync(eidPath);
        // An empty note is named on the form itself, before any confirmation page.
        await officer.ClickAsync("Replace eID");
        Assert.Equal(eidPath, officer.PathNow);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).GetByRole(AriaRole.Link, new() { Name = "Enter what was lost or stolen." })).ToHaveAttributeAsync("href", "#ReplaceNote");
        await Assertions.Expect(page.GetByLabel("What was lost", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"eID {issued.DocumentNumber}");

        await page.GetByLabel("What was lost", new() { Exact = true }).FillAsync("Wallet with the ID card stolen");
        await officer.ClickAsync("Replace eID"); // axe on the confirmation page

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Replace eID {issued.DocumentNumber}?");
        Assert.StartsWith($"Replace eID {issued.DocumentNumber}? – ", await page.TitleAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#confirm-holder")).ToContainTextAsync("Mari Tamm ");
        await Assertions.Expect(page.Locator("#confirm-holder")).ToContainTextAsync(issued.NationalId);
        await Assertions.Expect(page.Locator("#confirm-holder")).ToContainTextAsync("Wallet with the ID card stolen");
        await Assertions.Expect(page.Locator("#confirm-consequences")).ToContainTextAsync("A new eID with new keys and certificates is issued to Mari Tamm ");
        var confirm = page.GetByRole(AriaRole.Button, new() { Name = $"Yes, replace eID {issued.DocumentNumber}" });
        await Assertions.Expect(confirm).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bbutton-warning\b"));
        await ShotAsync(page, "replace-confirmation");
        Assert.Empty(await RevocationReasonsAsync(issued)); // nothing revoked yet

        await officer.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Cancel, keep the eID as it is" }));
        Assert.Equal(eidPath, officer.PathNow);
        await Assertions.Expect(page.Locator("#eid-status")).ToHaveTextAsync("active");
        Assert.Empty(await RevocationReasonsAsync(issued));

        await page.GetByLabel("What was lost", new() { Exact = true }).FillAsync("Wallet with the ID card stolen");
        await officer.ClickAsync("Replace eID");
        await officer.FollowAsync(confirm);
        Assert.NotEqual(eidPath, officer.PathNow); // the new eID's page
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync($"eID {issued.DocumentNumber} revoked and replaced by");
        await Assertions.Expect(page.Locator("#eid-status")).ToHaveTextAsync("active");
        await Assertions.Expect(page.Locator("#eid-holder")).ToContainTextAsync(issued.NationalId);
        Assert.Equal(new[] { 1, 1 }, await RevocationReasonsAsync(issued)); // keyCompromise
    }

    [Fact]
    public async Task A_future_birth_date_and_an_expired_document_are_named_next_to_their_fields_and_nothing_is_saved()
    {
        await EnsureServicePointAsync();
        await using var officer = await SignedInAsync(StaffRoles.Officer);
        var page = officer.Page;
        var before = await CountEnrolmentsAsync();

        await officer.GoToAsync("/console/enrolments/new");
        await FillPersonAsync(page, "Tamm " + Unique(), InYears(1), InYears(-1));
        await page.GetByLabel("Given names", new() { Exact = true }).FillAsync(string.Empty);
        await officer.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save draft enrolment" }));

        Assert.StartsWith("Error: ", await page.TitleAsync(), StringComparison.Ordinal);
        var summary = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(summary).ToContainTextAsync("There is a problem");
        await Assertions.Expect(summary.GetByRole(AriaRole.Link, new() { Name = "The date of birth must be today or in the past." })).ToHaveAttributeAsync("href", "#DateOfBirth");
        await Assertions.Expect(summary.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("expired on") })).ToHaveAttributeAsync("href", "#DocumentExpiresOn");
        // The summary lists errors in the order of the fields on the page (ModelState alone would sort them by name).
        Assert.Equal(new[] { "#GivenNames", "#DateOfBirth", "#DocumentExpiresOn" },
            await summary.GetByRole(AriaRole.Link).EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"));
        await Assertions.Expect(page.Locator("#DateOfBirth-error")).ToContainTextAsync("today or in the past");
        var birth = page.GetByRole(AriaRole.Group, new() { Name = "Date of birth", Exact = true });
        await Assertions.Expect(birth.GetByLabel("Day", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(birth.GetByLabel("Year", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(birth.GetByLabel("Day", new() { Exact = true })).ToHaveAttributeAsync("id", "DateOfBirth"); // the summary links to the first input
        await ShotAsync(page, "new-enrolment-errors");
        await Assertions.Expect(page.GetByLabel("Place of birth", new() { Exact = true })).ToHaveValueAsync("Tartu"); // what was typed stays
        Assert.Equal(before, await CountEnrolmentsAsync());
    }

    [Fact]
    public async Task The_new_enrolment_form_and_the_verify_step_work_with_the_keyboard_alone()
    {
        await EnsureServicePointAsync();
        await using var officer = await SignedInAsync(StaffRoles.Officer);
        var page = officer.Page;
        await officer.GoToAsync("/console/enrolments/new");
        await FillPersonAsync(page, "Kask " + Unique(), new DateOnly(1990, 1, 2), InYears(2));

        // From the last field, Tab reaches the submit button and Enter presses it.
        await page.GetByLabel("Service point", new() { Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save draft enrolment" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#enrolment-status")).ToHaveTextAsync("draft");

        var verify = page.GetByRole(AriaRole.Button, new() { Name = "Evidence verified" });
        await page.Keyboard.PressAsync("Tab"); // skip link first
        for (var i = 0; i < 40 && !await verify.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await Assertions.Expect(verify).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(page.Locator("#enrolment-status")).ToHaveTextAsync("verified");
        await officer.CheckPageAsync();
    }

    [Fact]
    public async Task An_auditor_filters_the_audit_log_and_verifies_its_chain()
    {
        await IssueThroughServicesAsync();
        await using var auditor = await SignedInAsync(StaffRoles.Auditor);
        var page = auditor.Page;

        await auditor.GoToAsync("/console/audit?Type=enrolment.");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "enrolment.approved" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "eid.issued" })).ToHaveCountAsync(0);
        await auditor.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Verify the hash chain" }));

        await Assertions.Expect(page.Locator("#verification")).ToContainTextAsync("The hash chain is intact");
        var denied = await auditor.GoToAsync("/console/enrolments/new");
        Assert.Equal(403, denied!.Status);
    }

    private async Task<IssuedEid> IssueThroughServicesAsync()
    {
        await EnsureServicePointAsync();
        var officer = new StaffActor("setup-officer", new HashSet<string> { StaffRoles.Officer });
        var supervisor = new StaffActor("setup-supervisor", new HashSet<string> { StaffRoles.Supervisor });
        await using var scope = hub.App.Services.CreateAsyncScope();
        var enrolments = scope.ServiceProvider.GetRequiredService<EnrolmentService>();
        var created = await enrolments.CreateAsync(new EnrolmentRequest
        {
            GivenNames = "Mari",
            Surname = "Tamm " + Unique(),
            DateOfBirth = "1984-03-27",
            PlaceOfBirth = "Tartu",
            Nationality = "EST",
            DocumentType = "passport",
            DocumentNumber = "P" + Guid.NewGuid().ToString("N")[..9].ToUpperInvariant(),
            DocumentIssuingState = "EST",
            DocumentExpiresOn = InYears(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ServicePoint = ServicePoint,
        }, new FacePhoto("image/png", Photo), officer, CancellationToken.None);
        Assert.True(created.Succeeded);
        Assert.True((await enrolments.VerifyAsync(created.Value!.Id, officer, CancellationToken.None)).Succeeded);
        Assert.True((await enrolments.ApproveAsync(created.Value.Id, supervisor, CancellationToken.None)).Succeeded);
        var issued = await scope.ServiceProvider.GetRequiredService<EidIssuer>().IssueAsync(created.Value.Id, officer, CancellationToken.None);
        Assert.True(issued.Succeeded);
        return issued.Value!;
    }

    private async Task<int[]> RevocationReasonsAsync(IssuedEid issued)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var serials = new[] { issued.AuthenticationCertificateSerial, issued.SignatureCertificateSerial };
        return await db.IssuedCertificates.Where(c => serials.Contains(c.SerialNumber) && c.Status == CertificateStatus.Revoked)
            .Select(c => c.RevocationReason ?? -1).ToArrayAsync();
    }

    private async Task<int> CountEnrolmentsAsync()
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().Enrolments.CountAsync();
    }

    private static async Task<string> PdfTextAsync(string path)
    {
        var start = new ProcessStartInfo("pdftotext") { RedirectStandardOutput = true, ArgumentList = { "-layout", path, "-" } };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("pdftotext is missing: run ./hub test (it installs poppler-utils).");
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return text;
    }
}
