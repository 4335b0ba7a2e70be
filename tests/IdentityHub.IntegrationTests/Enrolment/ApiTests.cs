using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityHub.Authentication.Staff;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Enrolment.Http;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Enrolment;

/// <summary>The enrolment API as a counter device uses it: credential, officer sessions, idempotency, problem details.</summary>
[Collection(HubCollection.Name)]
public sealed class ApiTests(HubFixture hub) : IAsyncLifetime
{
    private readonly EnrolmentDriver _driver = new(hub);
    private readonly string _suffix = EnrolmentDriver.UniqueLetters(Guid.NewGuid().ToString("N")[..6]);
    private CounterDeviceClient _device = null!;
    private string _officer = null!;
    private string _supervisor = null!;

    private string Supervisor => "api.supervisor." + _suffix;

    public async Task InitializeAsync()
    {
        await _driver.EnsureServicePointAsync();
        _device = await CounterDeviceClient.IssueAsync(hub, EnrolmentDriver.ServicePoint, "counter-" + _suffix);
        var officer = await hub.CreateCounterStaffAsync("api.officer." + _suffix, StaffRoles.Officer, EnrolmentDriver.ServicePoint);
        var supervisor = await hub.CreateCounterStaffAsync(Supervisor, StaffRoles.Supervisor, EnrolmentDriver.ServicePoint);
        _officer = await _device.SignInAsync(officer);
        _supervisor = await _device.SignInAsync(supervisor);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A request from the counter device with the officer's session (or another one's).</summary>
    private HttpRequestMessage Request(HttpMethod method, string path, object? body = null, string? session = null, string? key = null, string? token = null)
    {
        var request = _device.Request(method, path, body, session ?? _officer, key);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private static object Body(Proofing p) => new
    {
        givenNames = p.GivenNames,
        surname = p.Surname,
        dateOfBirth = p.DateOfBirth,
        placeOfBirth = "Tartu",
        nationality = "EST",
        documentType = "passport",
        documentNumber = p.DocumentNumber,
        documentIssuingState = "EST",
        documentExpiresOn = DateTime.UtcNow.AddYears(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        photo = Convert.ToBase64String(EnrolmentDriver.Photo.Content),
    };

    private sealed record Proofing(string GivenNames, string Surname, string DateOfBirth, string DocumentNumber);

    private static Proofing NewPerson() => new("Łukasz", "Brzęczyszczykiewicz " + EnrolmentDriver.UniqueLetters(Guid.NewGuid().ToString("N")[..8]), "1979-11-30", "P" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant());

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(code, (string?)problem["code"]);
        Assert.Equal((int)status, (int)problem["status"]!);
        return problem;
    }

    [Fact]
    public async Task Without_a_valid_credential_the_API_answers_401_with_a_problem()
    {
        using var none = new HttpRequestMessage(HttpMethod.Get, EnrolmentEndpoints.BasePath + "/persons?nationalId=12345678901");
        var missing = await hub.Http.SendAsync(none);
        var forged = await hub.Http.SendAsync(Request(HttpMethod.Get, "/persons?nationalId=1", token: _device.Token[..^4] + "AAAA"));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Contains("Bearer", missing.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }


    [Fact]
    public async Task Create_needs_an_idempotency_key_and_a_retry_gets_the_first_answer_without_acting_twice()
    {
        var person = NewPerson();
        await ProblemAsync(await hub.Http.SendAsync(Request(HttpMethod.Post, "/enrolments", Body(person))), HttpStatusCode.BadRequest, "idempotency_key_missing");
        var key = Guid.NewGuid().ToString();

        var first = await hub.Http.SendAsync(Request(HttpMethod.Post, "/enrolments", Body(person), key: key));
        var footprint = await _driver.FootprintAsync();
        var retry = await hub.Http.SendAsync(Request(HttpMethod.Post, "/enrolments", Body(person), key: key));
        var reused = await hub.Http.SendAsync(Request(HttpMethod.Post, "/enrolments", Body(person with { DocumentNumber = "X" + person.DocumentNumber }), key: key));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal((string?)JsonNode.Parse(await first.Content.ReadAsStringAsync())!["id"], (string?)JsonNode.Parse(await retry.Content.ReadAsStringAsync())!["id"]);
        await ProblemAsync(reused, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.Equal(footprint, await _driver.FootprintAsync());
    }

    [Fact]
    public async Task Invalid_fields_come_back_as_a_validation_problem_naming_each_field()
    {
        var person = NewPerson() with { DateOfBirth = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) };
        var footprint = await _driver.FootprintAsync();

        var response = await hub.Http.SendAsync(Request(HttpMethod.Post, "/enrolments", Body(person), key: Guid.NewGuid().ToString()));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Contains("today or in the past", (string?)problem["errors"]!["dateOfBirth"]![0], StringComparison.Ordinal);
        Assert.Equal(footprint, await _driver.FootprintAsync());
        await ProblemAsync(await hub.Http.SendAsync(Request(HttpMethod.Post, "/enrolments", new { surname = 42 }, key: Guid.NewGuid().ToString())),
            HttpStatusCode.BadRequest, "malformed_request");
    }

    [Fact]
    public async Task A_counter_enrols_a_supervisor_approves_and_a_retried_issue_issues_once()
    {
        var created = await hub.Http.SendAsync(Request(HttpMethod.Post, "/enrolments", Body(NewPerson()), key: Guid.NewGuid().ToString()));
        var id = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await hub.Http.SendAsync(Request(HttpMethod.Post, $"/enrolments/{id}/verify"))).StatusCode);
        await ProblemAsync(await hub.Http.SendAsync(Request(HttpMethod.Post, $"/enrolments/{id}/approve")), HttpStatusCode.Forbidden, "forbidden");
        await ProblemAsync(await hub.Http.SendAsync(Request(HttpMethod.Post, $"/enrolments/{id}/issue", key: Guid.NewGuid().ToString())), HttpStatusCode.Conflict, "invalid_state");
        Assert.Equal(HttpStatusCode.OK, (await hub.Http.SendAsync(Request(HttpMethod.Post, $"/enrolments/{id}/approve", session: _supervisor))).StatusCode);

        var key = Guid.NewGuid().ToString();
        var issued = await hub.Http.SendAsync(Request(HttpMethod.Post, $"/enrolments/{id}/issue", key: key));
        var retried = await hub.Http.SendAsync(Request(HttpMethod.Post, $"/enrolments/{id}/issue", key: key));

        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Equal(await issued.Content.ReadAsStringAsync(), await retried.Content.ReadAsStringAsync());
        var eid = JsonNode.Parse(await issued.Content.ReadAsStringAsync())!;
        var documentNumber = (string)eid["documentNumber"]!;
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<HubDbContext>().Eids.CountAsync(e => e.EnrolmentId == Guid.Parse(id)));
        }

        var suspended = await hub.Http.SendAsync(Request(HttpMethod.Post, $"/eids/{documentNumber}/suspend", new { reason = "Reported stolen" }));
        Assert.Equal("suspended", (string?)JsonNode.Parse(await suspended.Content.ReadAsStringAsync())!["status"]);
        await ProblemAsync(await hub.Http.SendAsync(Request(HttpMethod.Post, $"/eids/{documentNumber}/revoke", new { reason = "certificateHold", note = "x" })),
            HttpStatusCode.BadRequest, "validation");
        var revoked = await hub.Http.SendAsync(Request(HttpMethod.Post, $"/eids/{documentNumber}/revoke", new { reason = "keyCompromise", note = "Stolen" }));
        Assert.Equal("revoked", (string?)JsonNode.Parse(await revoked.Content.ReadAsStringAsync())!["status"]);
        var audited = await _driver.WithAsync<HubDbContext, List<string>>(db => db.AuditEvents.Where(e => e.Actor == Supervisor && e.Type == "enrolment.approved").Select(e => e.Details).ToListAsync());
        Assert.Contains(audited, d => d.Contains("api:counter-" + _suffix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_activation_letter_is_a_one_page_PDF_with_the_name_national_id_and_code()
    {
        var issued = await _driver.IssuedAsync();

        var response = await hub.Http.SendAsync(Request(HttpMethod.Post, $"/eids/{issued.DocumentNumber}/activation-letter"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);
        var pdf = hub.PathOf($"letter-{issued.DocumentNumber}.pdf");
        await File.WriteAllBytesAsync(pdf, await response.Content.ReadAsByteArrayAsync());
        var text = await ProcessRunner.RunAsync("pdftotext", "-layout", pdf, "-");
        var info = await ProcessRunner.RunAsync("pdfinfo", pdf);
        var check = await ProcessRunner.RunAsync("qpdf", "--check", pdf);
        Assert.Contains("Žofia Anna Ņikolajeva-Öström", text.Output, StringComparison.Ordinal);
        Assert.Contains(issued.NationalId, text.Output, StringComparison.Ordinal);
        Assert.Contains(issued.DocumentNumber, text.Output, StringComparison.Ordinal);
        Assert.Matches("[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", text.Output);
        Assert.Matches(@"Pages:\s+1\n", info.Output);
        Assert.Contains("595 x 842 pts (A4)", info.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(issued.NationalId, info.Output, StringComparison.Ordinal); // no personal data in metadata
        Assert.Equal(0, check.ExitCode);
    }

    [Fact]
    public async Task The_OpenAPI_description_lists_the_enrolment_operations()
    {
        var document = JsonNode.Parse(await hub.Http.GetStringAsync("/openapi/enrolment-v1.json"))!;

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/enrolment/v1/enrolments", paths);
        Assert.Contains("/api/enrolment/v1/enrolments/{id}/issue", paths);
        Assert.Contains("/api/enrolment/v1/eids/{documentNumber}/revoke", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/pki", StringComparison.Ordinal));
    }
}
