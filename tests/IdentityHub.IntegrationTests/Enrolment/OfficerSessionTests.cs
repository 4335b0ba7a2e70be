using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using IdentityHub.Authentication.Staff;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Enrolment.Http;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Enrolment;

/// <summary>
/// Officers prove they are present (issue 8, point 2): a device credential alone cannot act, an officer session works
/// only on the device that made it, and every officer — the approving supervisor included — signs in with their own
/// factors. Each refusal would be accepted if its check were removed.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class OfficerSessionTests(HubFixture hub) : IAsyncLifetime
{
    private readonly string _suffix = EnrolmentDriver.UniqueLetters(Guid.NewGuid().ToString("N")[..6]);
    private CounterDeviceClient _device = null!;
    private CounterStaff _officer = null!;
    private CounterStaff _supervisor = null!;

    private string Point => "OS-" + _suffix.ToUpperInvariant();

    public async Task InitializeAsync()
    {
        _device = await CounterDeviceClient.IssueAsync(hub, Point, "desk-a-" + _suffix);
        _officer = await hub.CreateCounterStaffAsync("os.officer." + _suffix, StaffRoles.Officer, Point);
        _supervisor = await hub.CreateCounterStaffAsync("os.supervisor." + _suffix, StaffRoles.Supervisor, Point);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_device_credential_alone_cannot_act_and_the_old_officer_header_means_nothing()
    {
        using var alone = _device.Request(HttpMethod.Post, "/enrolments", Body(), key: Guid.NewGuid().ToString());
        using var named = _device.Request(HttpMethod.Post, "/enrolments", Body(), key: Guid.NewGuid().ToString());
        named.Headers.Add("X-Officer", _supervisor.UserName);
        var footprint = await new EnrolmentDriver(hub).FootprintAsync();

        var refused = await hub.Http.SendAsync(alone);
        var stillRefused = await hub.Http.SendAsync(named);

        await ProblemAsync(refused, HttpStatusCode.Unauthorized, "officer_session_required");
        Assert.Contains("OfficerSession", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await ProblemAsync(stillRefused, HttpStatusCode.Unauthorized, "officer_session_required");
        await ProblemAsync(await _device.SendAsync(HttpMethod.Get, "/persons?nationalId=12345678901", session: "ihos_" + Guid.NewGuid().ToString("N") + "_AAAA"),
            HttpStatusCode.Unauthorized, "officer_session_invalid");
        Assert.Equal(footprint, await new EnrolmentDriver(hub).FootprintAsync());
    }

    [Fact]
    public async Task A_password_alone_opens_only_the_second_factor_step()
    {
        var started = await _device.SendAsync(HttpMethod.Post, "/officer-sessions", new { userName = _officer.UserName, password = _officer.Password });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var body = JsonNode.Parse(await started.Content.ReadAsStringAsync())!;
        Assert.Equal("second_factor_required", (string?)body["status"]);
        Assert.Contains("otp", body["methods"]!.AsArray().Select(m => (string?)m));
        var pending = (string)body["sessionToken"]!;

        await ProblemAsync(await _device.SendAsync(HttpMethod.Get, "/persons?nationalId=12345678901", session: pending), HttpStatusCode.Unauthorized, "second_factor_pending");
        await ProblemAsync(await _device.SendAsync(HttpMethod.Post, "/officer-sessions/current/totp", new { code = "000000" }, pending), HttpStatusCode.Unauthorized, "wrong_code");
        var signedIn = await _device.SendAsync(HttpMethod.Post, "/officer-sessions/current/totp", new { code = _officer.NextCode() }, pending);

        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var officer = JsonNode.Parse(await signedIn.Content.ReadAsStringAsync())!["officer"]!;
        Assert.Equal(_officer.UserName, (string?)officer["userName"]);
        Assert.Equal(Point, (string?)officer["servicePoint"]);
        Assert.Equal("http://eidas.europa.eu/LoA/substantial", (string?)officer["level"]);
        Assert.Equal(HttpStatusCode.OK, (await _device.SendAsync(HttpMethod.Get, "/officer-sessions/current", session: pending)).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_and_an_officer_not_assigned_here_are_refused()
    {
        var elsewhere = await hub.CreateCounterStaffAsync("os.elsewhere." + _suffix, StaffRoles.Officer, "OE-" + _suffix.ToUpperInvariant());
        var auditor = await hub.CreateCounterStaffAsync("os.auditor." + _suffix, StaffRoles.Auditor, Point);

        await ProblemAsync(await _device.SendAsync(HttpMethod.Post, "/officer-sessions", new { userName = _officer.UserName, password = "not the password at all" }),
            HttpStatusCode.Unauthorized, "wrong_credentials");
        await ProblemAsync(await _device.SendAsync(HttpMethod.Post, "/officer-sessions", new { userName = elsewhere.UserName, password = elsewhere.Password }),
            HttpStatusCode.Forbidden, "not_assigned_here");
        await ProblemAsync(await _device.SendAsync(HttpMethod.Post, "/officer-sessions", new { userName = auditor.UserName, password = auditor.Password }),
            HttpStatusCode.Forbidden, "not_an_officer");
    }

    [Fact]
    public async Task Officer_A_s_session_from_device_B_is_refused_and_ended()
    {
        var deviceB = await CounterDeviceClient.IssueAsync(hub, Point, "desk-b-" + _suffix);
        var session = await _device.SignInAsync(_officer);

        var stolen = await deviceB.SendAsync(HttpMethod.Get, "/persons?nationalId=12345678901", session: session);
        var afterwards = await _device.SendAsync(HttpMethod.Get, "/persons?nationalId=12345678901", session: session);

        await ProblemAsync(stolen, HttpStatusCode.Unauthorized, "officer_session_of_another_device");
        await ProblemAsync(afterwards, HttpStatusCode.Unauthorized, "officer_session_invalid");
        var misuse = await With(db => db.AuditEvents.Where(e => e.Type == "auth.counter.session-misused" && e.Subject == _officer.UserName).ToListAsync());
        Assert.Single(misuse);
    }

    [Fact]
    public async Task Approval_on_the_same_device_needs_the_supervisor_s_own_sign_in()
    {
        var officer = await _device.SignInAsync(_officer);
        var created = await _device.SendAsync(HttpMethod.Post, "/enrolments", Body(), officer, Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await _device.SendAsync(HttpMethod.Post, $"/enrolments/{id}/verify", session: officer)).StatusCode);

        // The officer's session cannot approve, whatever the device claims; the supervisor must sign in on the device.
        await ProblemAsync(await _device.SendAsync(HttpMethod.Post, $"/enrolments/{id}/approve", session: officer), HttpStatusCode.Forbidden, "forbidden");
        var supervisor = await _device.SignInAsync(_supervisor);
        var approved = await _device.SendAsync(HttpMethod.Post, $"/enrolments/{id}/approve", session: supervisor);

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var record = await With(db => db.Enrolments.AsNoTracking().SingleAsync(e => e.Id == Guid.Parse(id)));
        Assert.Equal(await AccountIdAsync(_officer.UserName), record.CreatedByAccountId);
        Assert.Equal(await AccountIdAsync(_supervisor.UserName), record.ApprovedByAccountId);
    }

    [Fact]
    public async Task A_supervisor_cannot_approve_what_their_own_account_recorded()
    {
        var supervisor = await _device.SignInAsync(_supervisor);
        var created = await _device.SendAsync(HttpMethod.Post, "/enrolments", Body(), supervisor, Guid.NewGuid().ToString());
        var id = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await _device.SendAsync(HttpMethod.Post, $"/enrolments/{id}/verify", session: supervisor)).StatusCode);

        await ProblemAsync(await _device.SendAsync(HttpMethod.Post, $"/enrolments/{id}/approve", session: supervisor), HttpStatusCode.Conflict, "four_eyes");
    }

    [Fact]
    public async Task Signing_out_disabling_unassigning_or_a_role_change_ends_the_session()
    {
        var signedOut = await _device.SignInAsync(_officer);
        Assert.Equal(HttpStatusCode.NoContent, (await _device.SendAsync(HttpMethod.Delete, "/officer-sessions/current", session: signedOut)).StatusCode);
        await ProblemAsync(await _device.SendAsync(HttpMethod.Get, "/officer-sessions/current", session: signedOut), HttpStatusCode.Unauthorized, "officer_session_invalid");

        var unassignedOfficer = await hub.CreateCounterStaffAsync("os.moved." + _suffix, StaffRoles.Officer, Point);
        var unassigned = await _device.SignInAsync(unassignedOfficer);
        await Staff(s => s.GetRequiredService<StaffServicePoints>().UnassignAsync(unassignedOfficer.UserName, Point, "tests", CancellationToken.None));
        await ProblemAsync(await _device.SendAsync(HttpMethod.Get, "/officer-sessions/current", session: unassigned), HttpStatusCode.Unauthorized, "officer_session_invalid");

        var disabledOfficer = await hub.CreateCounterStaffAsync("os.leaver." + _suffix, StaffRoles.Officer, Point);
        var disabled = await _device.SignInAsync(disabledOfficer);
        await Staff(s => s.GetRequiredService<StaffAccounts>().DisableAsync(disabledOfficer.UserName, "tests", CancellationToken.None));
        await ProblemAsync(await _device.SendAsync(HttpMethod.Get, "/officer-sessions/current", session: disabled), HttpStatusCode.Unauthorized, "officer_session_invalid");

        var promoted = await hub.CreateCounterStaffAsync("os.promoted." + _suffix, StaffRoles.Officer, Point);
        var before = await _device.SignInAsync(promoted);
        var roleId = await With(db => db.Roles.Where(r => r.Name == StaffRoles.Supervisor).Select(r => r.Id).SingleAsync());
        var accountId = await AccountIdAsync(promoted.UserName);
        await With(db => db.Database.ExecuteSqlAsync($"""INSERT INTO accounts.user_roles ("UserId", "RoleId") VALUES ({accountId}, {roleId})"""));
        await ProblemAsync(await _device.SendAsync(HttpMethod.Get, "/officer-sessions/current", session: before), HttpStatusCode.Unauthorized, "officer_session_invalid");
    }

    [Fact]
    public async Task An_idempotent_replay_re_checks_the_caller_s_rights()
    {
        var officer = await _device.SignInAsync(_officer);
        var key = Guid.NewGuid().ToString();
        var body = Body();
        var created = await _device.SendAsync(HttpMethod.Post, "/enrolments", body, officer, key);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = Guid.Parse((string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!);
        var replayed = await _device.SendAsync(HttpMethod.Post, "/enrolments", body, officer, key);
        Assert.Equal(HttpStatusCode.Created, replayed.StatusCode);

        // The enrolment now belongs to another service point's records: the caller may no longer see it, so the stored
        // answer (names, document, birth date) must not be handed out again under the old key.
        var other = "OX-" + _suffix.ToUpperInvariant();
        await Staff(s => s.GetRequiredService<IdentityHub.Enrolment.Registry.ServicePoints>().AddAsync(other, "Elsewhere", "tests", CancellationToken.None));
        await With(db => db.Enrolments.Where(e => e.Id == id).ExecuteUpdateAsync(u => u.SetProperty(e => e.ServicePoint, other)));
        var refused = await _device.SendAsync(HttpMethod.Post, "/enrolments", body, officer, key);

        await ProblemAsync(refused, HttpStatusCode.NotFound, "not_found");
        Assert.False(refused.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task An_oversized_body_is_refused_before_it_is_read()
    {
        var officer = await _device.SignInAsync(_officer);

        // Headers that announce 10 MB, and no body at all: the answer comes without waiting for one.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(hub.BaseAddress.Host, hub.BaseAddress.Port);
        var stream = tcp.GetStream();
        var head = $"POST {EnrolmentEndpoints.BasePath}/enrolments HTTP/1.1\r\nHost: {hub.BaseAddress.Authority}\r\nAuthorization: Bearer {_device.Token}\r\n"
            + $"{OfficerSessionEndpoints.SessionHeader}: {officer}\r\nIdempotency-Key: {Guid.NewGuid()}\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var read = await stream.ReadAsync(buffer, timeout.Token);
        var answer = Encoding.ASCII.GetString(buffer, 0, read);

        Assert.StartsWith("HTTP/1.1 413", answer, StringComparison.Ordinal);
        Assert.Contains("payload_too_large", answer, StringComparison.Ordinal);

        // A chunked body without a length is cut at the limit by the server; a photo update is refused the same way.
        using var chunked = _device.Request(HttpMethod.Put, $"/enrolments/{Guid.NewGuid()}/photo", session: officer);
        chunked.Content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes("{\"photo\":\"" + new string('A', 5 * 1024 * 1024) + "\"}")));
        chunked.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        var tooLarge = await hub.Http.SendAsync(chunked);
        await ProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    private static object Body() => new
    {
        givenNames = "Kärt",
        surname = "Õunapuu " + EnrolmentDriver.UniqueLetters(Guid.NewGuid().ToString("N")[..8]),
        dateOfBirth = "1991-02-14",
        placeOfBirth = "Pärnu",
        nationality = "EST",
        documentType = "passport",
        documentNumber = "P" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant(),
        documentIssuingState = "EST",
        documentExpiresOn = DateTime.UtcNow.AddYears(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        photo = Convert.ToBase64String(EnrolmentDriver.Photo.Content),
    };

    private async Task<Guid> AccountIdAsync(string userName) => await With(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync());

    private async Task<T> With<T>(Func<HubDbContext, Task<T>> query)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<HubDbContext>());
    }

    private async Task Staff<T>(Func<IServiceProvider, Task<T>> call)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        await call(scope.ServiceProvider);
    }

    internal static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(code, (string?)problem["code"]);
        return problem;
    }
}
