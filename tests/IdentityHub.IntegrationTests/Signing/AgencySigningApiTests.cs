using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IdentityHub.Authentication.Agencies;
using IdentityHub.IntegrationTests.Oidc;
using IdentityHub.Oidc;
using IdentityHub.Signing.Http;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>
/// The agency signing API (docs/signing.md) with a real client-credentials token: an agency asks a named citizen to
/// sign, only that citizen can open the request, the citizen confirms in the portal, the agency is called back, reads
/// the request and fetches the signed PDF, and validates it; every refusal is a ProblemDetails with a stable code.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class AgencySigningApiTests(HubFixture hub)
{
    private const string Secret = "agency-signing-secret-0123456789";

    [Fact]
    public async Task An_agency_asks_a_named_citizen_to_sign_is_called_back_fetches_the_PDF_and_validates_it()
    {
        using var callbacks = new CallbackReceiver();
        var (clientId, token) = await AgencyAsync(OidcScopes.SignatureRequests, OidcScopes.SignatureValidation);
        var citizen = await hub.ActivateWithTotpAsync();
        var other = await hub.ActivateWithTotpAsync();
        var subject = await SubjectAsync(clientId, citizen);
        var pdf = PadesTools.SimplePdf("Building permit application 2026/118");

        using var http = Api(token);
        using var created = await http.PostAsJsonAsync("/api/signing/v1/requests", new
        {
            documents = new[] { new { name = "application.pdf", mimeType = "application/pdf", content = Convert.ToBase64String(pdf) } },
            format = "pades",
            level = "B-LT",
            visible = true,
            purpose = "Building permit application 2026/118",
            subject,
            callbackUri = callbacks.Uri,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var request = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pending", request.GetProperty("state").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), request.GetProperty("documents")[0].GetProperty("sha256").GetString());
        var signUrl = new Uri(request.GetProperty("signUrl").GetString()!);

        // Someone else following the link is turned away; the citizen it names opens it and sees the agency and purpose.
        Assert.NotEqual(HttpStatusCode.OK, (await other.Client.GetAsync(signUrl.PathAndQuery)).Status);
        var review = await citizen.Client.GetAsync(signUrl.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, review.Status);
        Assert.Contains("Building permit application 2026/118", WebUtility.HtmlDecode(review.Body), StringComparison.Ordinal);
        Assert.Contains("Agency " + clientId, WebUtility.HtmlDecode(review.Body), StringComparison.Ordinal);

        await SigningPortalTests.ConfirmWithTotpAsync(citizen, await SigningPortalTests.StartSigningAsync(citizen, signUrl.PathAndQuery, review));
        var called = await callbacks.WaitAsync();
        Assert.Contains(request.GetProperty("id").GetString()!, called, StringComparison.Ordinal);
        Assert.Contains("\"signed\"", called, StringComparison.Ordinal);

        var status = await http.GetFromJsonAsync<JsonElement>($"/api/signing/v1/requests/{request.GetProperty("id").GetString()}");
        Assert.Equal("signed", status.GetProperty("state").GetString());
        var download = new Uri(status.GetProperty("documents")[0].GetProperty("download").GetString()!);
        var signed = await http.GetByteArrayAsync(download.PathAndQuery);
        Assert.Equal(pdf, signed[..pdf.Length]);

        using var form = new MultipartFormDataContent { { new ByteArrayContent(signed), ValidationUploads.DocumentField, "application.pdf" } };
        using var validated = await http.PostAsync("/api/signing/v1/validations", form);
        Assert.Equal(HttpStatusCode.OK, validated.StatusCode);
        var report = await validated.Content.ReadFromJsonAsync<JsonElement>();
        var signature = report.GetProperty("signatures")[0];
        Assert.Equal("TOTAL-PASSED", signature.GetProperty("indication").GetString());
        Assert.Equal("B-LT", signature.GetProperty("level").GetString());

        using var pdfForm = new MultipartFormDataContent { { new ByteArrayContent(signed), ValidationUploads.DocumentField, "application.pdf" } };
        using var asPdf = new HttpRequestMessage(HttpMethod.Post, "/api/signing/v1/validations") { Content = pdfForm };
        asPdf.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/pdf"));
        using var pdfReport = await http.SendAsync(asPdf);
        Assert.Equal("application/pdf", pdfReport.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString((await pdfReport.Content.ReadAsByteArrayAsync())[..5]), StringComparison.Ordinal);

        // Another agency cannot read it.
        var (_, otherToken) = await AgencyAsync(OidcScopes.SignatureRequests);
        using var stranger = Api(otherToken);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/signing/v1/requests/{request.GetProperty("id").GetString()}")).StatusCode);
    }

    [Fact]
    public async Task Tokens_and_bodies_are_checked_and_each_refusal_is_a_problem_with_a_code()
    {
        var (_, token) = await AgencyAsync(OidcScopes.SignatureRequests);
        var (_, validationOnly) = await AgencyAsync(OidcScopes.SignatureValidation);

        using var anonymous = new HttpClient { BaseAddress = hub.BaseAddress };
        using var noToken = await anonymous.PostAsJsonAsync("/api/signing/v1/requests", new { });
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.StartsWith("Bearer", noToken.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var wrongScope = Api(validationOnly);
        using var insufficient = await wrongScope.PostAsJsonAsync("/api/signing/v1/requests", new { });
        Assert.Equal(HttpStatusCode.Forbidden, insufficient.StatusCode);
        Assert.Contains("insufficient_scope", insufficient.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var http = Api(token);
        await ExpectProblemAsync(await http.PostAsync("/api/signing/v1/requests", new StringContent("{ not json", Encoding.UTF8, "application/json")), 400, "malformed-request");
        await ExpectProblemAsync(await http.PostAsJsonAsync("/api/signing/v1/requests", new { documents = new[] { new { name = "a.pdf", content = "***" } } }), 400, "malformed-request");
        await ExpectProblemAsync(await http.PostAsJsonAsync("/api/signing/v1/requests", new { documents = Array.Empty<object>(), format = "pades" }), 400, "no-documents");
        await ExpectProblemAsync(await CreateAsync(http, "a.pdf", "just text"u8.ToArray(), "pades"), 400, "not-a-pdf");
        await ExpectProblemAsync(await CreateAsync(http, "a.pdf", PadesTools.SimplePdf(), "pdf-ish"), 400, "unknown-format");
        await ExpectProblemAsync(await CreateAsync(http, "a.txt", "text"u8.ToArray(), "cades", "B-LTA"), 400, "level-not-offered");
        await ExpectProblemAsync(await CreateAsync(http, "../etc/passwd", "text"u8.ToArray(), "cades"), 400, "bad-document-name");
        await ExpectProblemAsync(await CreateAsync(http, "order.xml", "<!DOCTYPE a [<!ENTITY b \"c\">]><a>&b;</a>"u8.ToArray(), "xades", mimeType: "application/xml"), 400, "xml-dtd");
        await ExpectProblemAsync(await http.GetAsync($"/api/signing/v1/requests/{Guid.NewGuid()}"), 404, "not-found");
        await ExpectProblemAsync(await http.DeleteAsync($"/api/signing/v1/requests/{Guid.NewGuid()}"), 409, "not-pending");

        // A pending request can be withdrawn, once; its document is gone.
        using var created = await CreateAsync(http, "note.txt", "withdraw me"u8.ToArray(), "cades");
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/api/signing/v1/requests/{id}")).StatusCode);
        Assert.Equal("cancelled", (await http.GetFromJsonAsync<JsonElement>($"/api/signing/v1/requests/{id}")).GetProperty("state").GetString());
        await ExpectProblemAsync(await http.DeleteAsync($"/api/signing/v1/requests/{id}"), 409, "not-pending");
    }

    [Fact]
    public async Task An_agency_asks_for_a_certified_PDF_the_citizen_sees_it_and_the_PDF_carries_the_DocMDP_named()
    {
        var (_, token) = await AgencyAsync(OidcScopes.SignatureRequests, OidcScopes.SignatureValidation);
        var citizen = await hub.ActivateWithTotpAsync();
        var pdf = PadesTools.SimplePdf("Lease agreement, flat 12");
        using var http = Api(token);
        using var created = await http.PostAsJsonAsync("/api/signing/v1/requests", new
        {
            documents = new[] { new { name = "lease.pdf", mimeType = "application/pdf", content = Convert.ToBase64String(pdf) } },
            format = "pades",
            level = "B-T",
            certification = "Form-Filling ",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var request = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("form-filling", request.GetProperty("certification").GetString());
        var signUrl = new Uri(request.GetProperty("signUrl").GetString()!);

        var review = await citizen.Client.GetAsync(signUrl.PathAndQuery);
        Assert.Contains("Yes: others may fill in forms and sign", WebUtility.HtmlDecode(review.Body), StringComparison.Ordinal);
        await SigningPortalTests.ConfirmWithTotpAsync(citizen, await SigningPortalTests.StartSigningAsync(citizen, signUrl.PathAndQuery, review));

        var status = await http.GetFromJsonAsync<JsonElement>($"/api/signing/v1/requests/{request.GetProperty("id").GetString()}");
        Assert.Equal("signed", status.GetProperty("state").GetString());
        Assert.Equal("form-filling", status.GetProperty("certification").GetString());
        var signed = await http.GetByteArrayAsync(new Uri(status.GetProperty("documents")[0].GetProperty("download").GetString()!).PathAndQuery);
        var dir = PadesTools.NewDirectory(hub, "api-certified");
        await File.WriteAllBytesAsync(Path.Combine(dir, "lease.pdf"), signed);
        var json = (await PadesTools.RunAsync(dir, "qpdf", "--json", "lease.pdf")).Output;
        Assert.Contains("\"/Perms\": {", json, StringComparison.Ordinal);
        Assert.Contains("\"/TransformMethod\": \"/DocMDP\"", json, StringComparison.Ordinal);
        Assert.Contains("\"/P\": 2", json, StringComparison.Ordinal);

        using var form = new MultipartFormDataContent { { new ByteArrayContent(signed), ValidationUploads.DocumentField, "lease.pdf" } };
        using var validated = await http.PostAsync("/api/signing/v1/validations", form);
        Assert.Equal("TOTAL-PASSED", (await validated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signatures")[0].GetProperty("indication").GetString());

        await using var scope = hub.App.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<IdentityHub.Data.HubDbContext>().AuditEvents.AsNoTracking()
            .Where(e => e.Type == "signing.document.signed" && e.Subject == request.GetProperty("id").GetString()).SingleAsync();
        Assert.Contains("\"certification\":\"form-filling\"", audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Certification_is_refused_where_it_cannot_apply_and_a_PDF_certified_without_changes_is_refused_at_upload_storing_nothing()
    {
        var (clientId, token) = await AgencyAsync(OidcScopes.SignatureRequests);
        var signer = await hub.IssueSignerAsync();
        var pades = hub.App.Services.GetRequiredService<IdentityHub.Signing.Pdf.PadesSigner>();
        var approved = await pades.SignAsync(PadesTools.SimplePdf(), signer.Identity, new IdentityHub.Signing.Pdf.PadesParameters(), CancellationToken.None);
        var frozen = await pades.SignAsync(PadesTools.SimplePdf(), signer.Identity, new IdentityHub.Signing.Pdf.PadesParameters { CertificationPermission = 1 }, CancellationToken.None);
        using var http = Api(token);

        await ExpectProblemAsync(await CreateAsync(http, "a.pdf", PadesTools.SimplePdf(), "pades", certification: "sometimes"), 400, "certification-not-offered");
        await ExpectProblemAsync(await CreateAsync(http, "a.txt", "text"u8.ToArray(), "cades", certification: "no-changes"), 400, "certification-not-offered");
        // ISO 32000-1 §12.8.2.2.1: only a document's first signature certifies it.
        Assert.Contains("already signed", await ExpectProblemAsync(await CreateAsync(http, "signed.pdf", approved, "pades", certification: "form-filling"), 400, "unsupported-document"), StringComparison.Ordinal);

        // DocMDP P=1 allows no further signature: refused when it arrives, not after the citizen confirmed.
        Assert.Contains("P=1", await ExpectProblemAsync(await CreateAsync(http, "frozen.pdf", frozen, "pades"), 400, "unsupported-document"), StringComparison.Ordinal);

        // An already signed PDF without certification is fine (a further approval signature).
        using var accepted = await CreateAsync(http, "signed.pdf", approved, "pades");
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        await using var scope = hub.App.Services.CreateAsyncScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<IdentityHub.Data.HubDbContext>().SigningRequests.CountAsync(r => r.ClientId == clientId));
    }

    [Fact]
    public async Task The_agency_is_called_back_when_the_citizen_declines_and_when_signing_fails_and_can_read_why()
    {
        using var declinedBack = new CallbackReceiver();
        using var failedBack = new CallbackReceiver();
        var (clientId, token) = await AgencyAsync(OidcScopes.SignatureRequests);
        var citizen = await hub.ActivateWithTotpAsync();
        var subject = await SubjectAsync(clientId, citizen);
        using var http = Api(token);

        var declined = await CreateForAsync(http, subject, declinedBack.Uri);
        var path = new Uri(declined.GetProperty("signUrl").GetString()!).PathAndQuery;
        var review = await citizen.Client.GetAsync(path);
        var decline = await citizen.Client.PostAsync(path + "?handler=Decline", new Dictionary<string, string>(), HubWebClient.TokenOf(review.Body));
        Assert.Equal(HttpStatusCode.Redirect, decline.Status);
        var called = await declinedBack.WaitAsync();
        Assert.Contains(declined.GetProperty("id").GetString()!, called, StringComparison.Ordinal);
        Assert.Contains("\"state\":\"cancelled\"", called, StringComparison.Ordinal);
        Assert.Equal("cancelled", (await http.GetFromJsonAsync<JsonElement>($"/api/signing/v1/requests/{declined.GetProperty("id").GetString()}")).GetProperty("state").GetString());

        // A document that can no longer be read when the signature is made (here: damaged in the database behind
        // the hub's back, after the citizen confirmed its hash) fails the signing: nothing is signed, the activation
        // is spent, the request stays pending with a failure code, and the agency is told.
        var failing = await CreateForAsync(http, subject, failedBack.Uri);
        var id = Guid.Parse(failing.GetProperty("id").GetString()!);
        path = new Uri(failing.GetProperty("signUrl").GetString()!).PathAndQuery;
        var activation = await SigningPortalTests.StartSigningAsync(citizen, path, await citizen.Client.GetAsync(path));
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IdentityHub.Data.HubDbContext>().SigningDocuments.Where(d => d.RequestId == id)
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.Content, "%PDF-1.7\n1 0 obj << >> endobj\n"u8.ToArray()));
        }

        var completed = await SigningPortalTests.ConfirmAndCompleteAsync(citizen, activation);
        Assert.NotEqual(HttpStatusCode.Redirect, completed.Status);
        Assert.Contains("Nothing was signed", WebUtility.HtmlDecode(completed.Body), StringComparison.Ordinal);
        called = await failedBack.WaitAsync();
        Assert.Contains(id.ToString(), called, StringComparison.Ordinal);
        Assert.Contains("\"state\":\"pending\"", called, StringComparison.Ordinal);
        var status = await http.GetFromJsonAsync<JsonElement>($"/api/signing/v1/requests/{id}");
        Assert.Equal("pending", status.GetProperty("state").GetString());
        Assert.Equal("damaged-pdf", status.GetProperty("failureCode").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("documents")[0].GetProperty("download").ValueKind);

        await using var check = hub.App.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<IdentityHub.Data.HubDbContext>();
        var failed = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Type == "signing.request.failed" && e.Subject == id.ToString());
        Assert.Equal("damaged-pdf", JsonDocument.Parse(failed.Details).RootElement.GetProperty("reason").GetString());
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Type == "signing.document.signed" && e.Subject == id.ToString()));
        Assert.Null((await db.SigningRequests.AsNoTracking().SingleAsync(r => r.Id == id)).ActivationId);
    }

    [Fact]
    public void The_API_scopes_are_the_ones_the_OpenID_provider_offers()
    {
        Assert.Equal(OidcScopes.SignatureRequests, AgencySigningEndpoints.RequestScope);
        Assert.Equal(OidcScopes.SignatureValidation, AgencySigningEndpoints.ValidationScope);
        Assert.Equal(OidcScopes.Signing, IdentityHub.Signing.Csc.CscEndpoints.Scope);
    }

    private static Task<HttpResponseMessage> CreateAsync(
        HttpClient http, string name, byte[] content, string format, string level = "B-B", string mimeType = "application/octet-stream", string? certification = null) =>
        http.PostAsJsonAsync("/api/signing/v1/requests", new
        {
            documents = new[] { new { name, mimeType, content = Convert.ToBase64String(content) } },
            format,
            level,
            certification,
        });

    /// <summary>A B-B PAdES request for <paramref name="subject"/> that calls <paramref name="callbackUri"/> back.</summary>
    private static async Task<JsonElement> CreateForAsync(HttpClient http, string subject, string callbackUri)
    {
        using var created = await http.PostAsJsonAsync("/api/signing/v1/requests", new
        {
            documents = new[] { new { name = "form.pdf", mimeType = "application/pdf", content = Convert.ToBase64String(PadesTools.SimplePdf()) } },
            format = "pades",
            level = "B-B",
            subject,
            callbackUri,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return await created.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Asserts a ProblemDetails with this status and code; returns its detail.</summary>
    private static async Task<string> ExpectProblemAsync(HttpResponseMessage response, int status, string code)
    {
        using (response)
        {
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(code, problem.GetProperty("code").GetString());
            return problem.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : "";
        }
    }

    private HttpClient Api(string token)
    {
        var http = new HttpClient { BaseAddress = hub.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private async Task<(string ClientId, string Token)> AgencyAsync(params string[] scopes)
    {
        var clientId = "permits-" + Guid.NewGuid().ToString("N")[..8];
        await using (var registry = hub.App.Services.CreateAsyncScope())
        {
            var added = await registry.ServiceProvider.GetRequiredService<OidcClients>().AddAsync(new OidcClientSpec
            {
                ClientId = clientId,
                DisplayName = "Agency " + clientId,
                ClientSecret = Secret,
                RedirectUris = [OidcDriver.Callback],
                Scopes = scopes,
                Sector = "permits.example",
                AllowClientCredentials = true,
                GovernmentService = true,
            }, "tests", CancellationToken.None);
            Assert.True(added.Succeeded, added.Problem);
        }

        var (status, body) = await OidcDriver.TokenAsync(hub, new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = string.Join(' ', scopes) }, (clientId, Secret));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return (clientId, body.GetProperty("access_token").GetString()!);
    }

    private async Task<string> SubjectAsync(string clientId, ActivatedCitizen citizen)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var account = await hub.AccountAsync(citizen.Letter.NationalId);
        return (await scope.ServiceProvider.GetRequiredService<IAgencyAccess>().SubjectAtAsync(clientId, account.Id, CancellationToken.None))!;
    }

    /// <summary>An agency's callback endpoint in miniature: records the first POST body.</summary>
    private sealed class CallbackReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<string> _bodies = new();

        public CallbackReceiver()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Uri = $"http://127.0.0.1:{port}/signing-callback";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    try
                    {
                        var context = await _listener.GetContextAsync();
                        using (var reader = new StreamReader(context.Request.InputStream))
                        {
                            _bodies.Enqueue(await reader.ReadToEndAsync());
                        }

                        context.Response.StatusCode = 204;
                        context.Response.Close();
                    }
                    catch (HttpListenerException)
                    {
                        return;
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                }
            });
        }

        public string Uri { get; }

        public async Task<string> WaitAsync()
        {
            for (var i = 0; i < 100 && _bodies.IsEmpty; i++)
            {
                await Task.Delay(100);
            }

            return _bodies.TryPeek(out var body) ? body : throw new TimeoutException("the hub did not call back within 10 s");
        }

        public void Dispose() => _listener.Close();
    }
}
