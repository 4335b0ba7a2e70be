using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using IdentityHub.Data;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Requests;
using IdentityHub.Signing.Validation;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>
/// The citizen portal over HTTP, as a browser sends it: upload, review (names, sizes, SHA-256), activation with a TOTP
/// code on the page bound to those hashes, signing, download, history; bad files refused at upload with nothing kept.
/// </summary>
[Collection(HubCollection.Name)]
public sealed partial class SigningPortalTests(HubFixture hub)
{
    [Fact]
    public async Task A_citizen_uploads_a_PDF_confirms_with_TOTP_and_downloads_a_B_T_signature_the_validation_service_passes()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var pdf = PadesTools.SimplePdf("Lease agreement, flat 12");
        var requestPath = await UploadAsync(citizen, "lease.pdf", "application/pdf", pdf, "pades", "B-T");

        var review = await citizen.Client.GetAsync(requestPath);
        Assert.Equal(HttpStatusCode.OK, review.Status);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(pdf)), review.Body, StringComparison.Ordinal);
        Assert.Contains("lease.pdf", review.Body, StringComparison.Ordinal);

        var activationPath = await StartSigningAsync(citizen, requestPath, review);
        var signedPage = await ConfirmWithTotpAsync(citizen, activationPath);
        Assert.Contains("id=\"state\">Signed", signedPage.Body, StringComparison.Ordinal);

        var signed = await DownloadAsync(citizen, requestPath, 0);
        Assert.True(signed.Length > pdf.Length);
        Assert.Equal(pdf, signed[..pdf.Length]); // an incremental update: the original bytes come first, unchanged
        var report = await ValidateAsync("lease.pdf", signed);
        var signature = Assert.Single(report.Signatures);
        Assert.Equal(Indication.TotalPassed, signature.Indication);
        Assert.Equal(SignatureLevel.BaselineT, signature.Level);
        Assert.True(signature.QualifiedCertificate);

        // The signed PDF is stored as the upload plus the appended revision (no second copy of the upload); the
        // audit chain has the document's hash, key and certificate.
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var id = Guid.Parse(requestPath[(requestPath.LastIndexOf('/') + 1)..]);
        var document = await db.SigningDocuments.AsNoTracking().SingleAsync(d => d.RequestId == id);
        Assert.True(document.SignedAppendsContent);
        Assert.Equal(pdf, document.Content);
        Assert.Equal(signed[pdf.Length..], document.SignedContent);
        Assert.Equal(SHA256.HashData(signed), document.SignedSha256);
        var listed = await scope.ServiceProvider.GetRequiredService<SigningRequests>().FindAsync(id, (await hub.AccountAsync(citizen.Letter.NationalId)).Id, CancellationToken.None);
        Assert.Equal(signed.Length, listed!.Documents[0].SignedSize);
        var audit = await db.AuditEvents.AsNoTracking().Where(e => e.Type == "signing.document.signed" && e.Subject == id.ToString()).SingleAsync();
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(pdf)), audit.Details, StringComparison.Ordinal);
        Assert.Contains("certificateSerial", audit.Details, StringComparison.Ordinal);

        var history = await citizen.Client.GetAsync("/sign/history");
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(pdf)), history.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ASiC_E_container_signs_several_files_under_one_activation()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var page = await citizen.Client.GetAsync("/sign");
        using var form = new MultipartFormDataContent
        {
            { new StringContent("asice"), "Format" },
            { new StringContent("B-T"), "Level" },
            { new StringContent(HubWebClient.TokenOf(page.Body)), "__RequestVerificationToken" },
            { new ByteArrayContent("first file"u8.ToArray()), "Files", "one.txt" },
            { new ByteArrayContent("second file"u8.ToArray()), "Files", "two.txt" },
        };
        using var http = Client(citizen);
        using var uploaded = await http.PostAsync(new Uri("/sign", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        var requestPath = uploaded.Headers.Location!.OriginalString;
        var review = await citizen.Client.GetAsync(requestPath);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData("second file"u8)), review.Body, StringComparison.Ordinal);

        await ConfirmWithTotpAsync(citizen, await StartSigningAsync(citizen, requestPath, review));
        var container = await DownloadAsync(citizen, requestPath, 0);
        Assert.Equal("PK"u8.ToArray(), container[..2]);

        // A container is a new file: the originals are not kept once it is made.
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var id = Guid.Parse(requestPath[(requestPath.LastIndexOf('/') + 1)..]);
            var documents = await scope.ServiceProvider.GetRequiredService<HubDbContext>().SigningDocuments.AsNoTracking().Where(d => d.RequestId == id).OrderBy(d => d.Position).ToListAsync();
            Assert.All(documents, d => Assert.Null(d.Content));
            Assert.Equal(container, documents[0].SignedContent);
            Assert.False(documents[0].SignedAppendsContent);
        }

        var report = await ValidateAsync("one.asice", container);
        var signature = Assert.Single(report.Signatures);
        Assert.True(signature.Indication == Indication.TotalPassed, $"{signature.Indication} {signature.SubIndication}: {string.Join(" | ", signature.Messages)}");
        Assert.Equal(SignatureLevel.BaselineT, signature.Level);
    }

    [Fact]
    public async Task A_citizen_certifies_a_PDF_allowing_no_changes_sees_it_before_confirming_and_an_impossible_choice_is_named()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var pdf = PadesTools.SimplePdf("Statute of the housing association");
        var before = await RequestCountAsync();
        foreach (var (format, certification, expected) in new[]
        {
            ("pades", "for-ever", "Choose whether to certify the PDF."),
            ("cades", "no-changes", "Only PDF documents signed in PAdES can be certified."),
        })
        {
            var form = await citizen.Client.GetAsync("/sign");
            var refused = await citizen.Client.PostFileAsync("/sign", new Dictionary<string, string> { ["Format"] = format, ["Level"] = "B-B", ["Certification"] = certification },
                "Files", "statute.pdf", "application/pdf", pdf, HubWebClient.TokenOf(form.Body));
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.Contains(expected, WebUtility.HtmlDecode(refused.Body), StringComparison.Ordinal);
        }

        Assert.Equal(before, await RequestCountAsync());

        var page = await citizen.Client.GetAsync("/sign");
        Assert.Contains("<option value=\"no-changes\"", page.Body, StringComparison.Ordinal);
        var uploaded = await citizen.Client.PostFileAsync("/sign", new Dictionary<string, string> { ["Format"] = "pades", ["Level"] = "B-B", ["Certification"] = "no-changes" },
            "Files", "statute.pdf", "application/pdf", pdf, HubWebClient.TokenOf(page.Body));
        Assert.Equal(HttpStatusCode.Redirect, uploaded.Status);
        var review = await citizen.Client.GetAsync(uploaded.Location!);
        Assert.Contains("id=\"certification\">Yes: no changes at all, not even another signature", WebUtility.HtmlDecode(review.Body), StringComparison.Ordinal);
        await ConfirmWithTotpAsync(citizen, await StartSigningAsync(citizen, uploaded.Location!, review));

        var signed = await DownloadAsync(citizen, uploaded.Location!, 0);
        var dir = PadesTools.NewDirectory(hub, "portal-certified");
        await File.WriteAllBytesAsync(Path.Combine(dir, "statute.pdf"), signed);
        var json = (await PadesTools.RunAsync(dir, "qpdf", "--json", "statute.pdf")).Output;
        Assert.Contains("\"/TransformMethod\": \"/DocMDP\"", json, StringComparison.Ordinal);
        Assert.Contains("\"/P\": 1", json, StringComparison.Ordinal);
        Assert.Equal(Indication.TotalPassed, Assert.Single((await ValidateAsync("statute.pdf", signed)).Signatures).Indication);

        // The certified PDF now takes no further signature: uploading it again is refused before anything is stored.
        var again = await citizen.Client.GetAsync("/sign");
        var frozen = await citizen.Client.PostFileAsync("/sign", new Dictionary<string, string> { ["Format"] = "pades", ["Level"] = "B-B" },
            "Files", "statute.pdf", "application/pdf", signed, HubWebClient.TokenOf(again.Body));
        Assert.Equal(HttpStatusCode.BadRequest, frozen.Status);
        Assert.Contains("DocMDP P=1", WebUtility.HtmlDecode(frozen.Body), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-pdf")]
    [InlineData("damaged")]
    [InlineData("encrypted")]
    [InlineData("too-large")]
    public async Task A_bad_PDF_is_refused_at_upload_with_its_reason_and_nothing_is_stored(string kind)
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var (bytes, expected) = kind switch
        {
            "not-a-pdf" => ("MZ\x90 this is an executable, named .pdf"u8.ToArray(), "not a PDF"),
            "damaged" => (Damaged(PadesTools.SimplePdf()), "damaged"),
            "encrypted" => (await EncryptedAsync(), "encrypted"),
            _ => (new byte[(25 << 20) + 1], "larger than"),
        };
        var before = await RequestCountAsync();

        var page = await citizen.Client.GetAsync("/sign");
        var refused = await citizen.Client.PostFileAsync("/sign", new Dictionary<string, string> { ["Format"] = "pades", ["Level"] = "B-B" },
            "Files", "contract.pdf", "application/pdf", bytes, HubWebClient.TokenOf(page.Body));

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains(expected, WebUtility.HtmlDecode(refused.Body), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await RequestCountAsync());
    }

    [Fact]
    public async Task XML_with_a_DTD_is_refused_for_XAdES_and_a_request_cannot_be_signed_without_its_activation()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var page = await citizen.Client.GetAsync("/sign");
        var bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]><doc>&lol2;</doc>"u8.ToArray();
        var refused = await citizen.Client.PostFileAsync("/sign", new Dictionary<string, string> { ["Format"] = "xades", ["Level"] = "B-B" },
            "Files", "order.xml", "application/xml", bomb, HubWebClient.TokenOf(page.Body));
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);

        // Coming back from the activation page without having confirmed: nothing is signed.
        var requestPath = await UploadAsync(citizen, "memo.pdf", "application/pdf", PadesTools.SimplePdf("Memo"), "pades", "B-B");
        var review = await citizen.Client.GetAsync(requestPath);
        await StartSigningAsync(citizen, requestPath, review);
        var early = await citizen.Client.GetAsync(requestPath + "?handler=complete");
        Assert.Equal(HttpStatusCode.Conflict, early.Status);
        Assert.Contains("not-activated", early.Body, StringComparison.Ordinal);
        using var http = Client(citizen);
        using var download = await http.GetAsync(new Uri(requestPath + "?handler=download&position=0", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);

        // Another citizen sees nothing of it.
        var stranger = await hub.ActivateWithTotpAsync();
        Assert.NotEqual(HttpStatusCode.OK, (await stranger.Client.GetAsync(requestPath)).Status);
    }

    internal static async Task<string> UploadAsync(ActivatedCitizen citizen, string name, string type, byte[] content, string format, string level)
    {
        var page = await citizen.Client.GetAsync("/sign");
        var uploaded = await citizen.Client.PostFileAsync("/sign", new Dictionary<string, string> { ["Format"] = format, ["Level"] = level },
            "Files", name, type, content, HubWebClient.TokenOf(page.Body));
        Assert.True(uploaded.Status == HttpStatusCode.Redirect, WebUtility.HtmlDecode(uploaded.Body));
        Assert.StartsWith("/sign/requests/", uploaded.Location, StringComparison.Ordinal);
        return uploaded.Location!;
    }

    internal static async Task<string> StartSigningAsync(ActivatedCitizen citizen, string requestPath, WebPage review)
    {
        var started = await citizen.Client.PostAsync(requestPath + "?handler=Sign", new Dictionary<string, string>(), HubWebClient.TokenOf(review.Body));
        Assert.Equal(HttpStatusCode.Redirect, started.Status);
        Assert.StartsWith("/sign/activate/", started.Location, StringComparison.Ordinal);
        return started.Location!;
    }

    internal static async Task<WebPage> ConfirmWithTotpAsync(ActivatedCitizen citizen, string activationPath)
    {
        var completed = await ConfirmAndCompleteAsync(citizen, activationPath);
        Assert.True(completed.Status == HttpStatusCode.Redirect, WebUtility.HtmlDecode(completed.Body));
        return await citizen.Client.GetAsync(completed.Location!);
    }

    /// <summary>Confirms the activation with a TOTP code and returns the answer of the page that signs (a redirect when signed).</summary>
    internal static async Task<WebPage> ConfirmAndCompleteAsync(ActivatedCitizen citizen, string activationPath)
    {
        var page = await citizen.Client.GetAsync(activationPath);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var returnUrl = WebUtility.HtmlDecode(ReturnUrl().Match(page.Body).Groups[1].Value);
        await CitizenWeb.AwayFromAStepBoundaryAsync();
        var confirmed = await citizen.Client.PostAsync(activationPath.Split('?')[0] + "?handler=Totp",
            new Dictionary<string, string> { ["Code"] = citizen.NextCode(), ["ReturnUrl"] = returnUrl }, HubWebClient.TokenOf(page.Body));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.Status);
        return await citizen.Client.GetAsync(confirmed.Location!);
    }

    internal static async Task<byte[]> DownloadAsync(ActivatedCitizen citizen, string requestPath, int position)
    {
        using var http = Client(citizen);
        using var response = await http.GetAsync(new Uri($"{requestPath}?handler=download&position={position}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static HttpClient Client(ActivatedCitizen citizen) =>
        new(new HttpClientHandler { CookieContainer = citizen.Client.Cookies, AllowAutoRedirect = false }) { BaseAddress = citizen.Client.BaseAddress };

    private async Task<ValidationReport> ValidateAsync(string name, byte[] document)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ValidationService>().ValidateAsync(new ValidationInput(name, document, []), null, CancellationToken.None);
    }

    private async Task<int> RequestCountAsync()
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().SigningRequests.CountAsync();
    }

    private static byte[] Damaged(byte[] pdf)
    {
        // Overwrite the cross-reference table and the startxref offset: nothing tells where the objects are.
        var text = System.Text.Encoding.Latin1.GetString(pdf);
        var xref = text.LastIndexOf("xref", StringComparison.Ordinal);
        var copy = (byte[])pdf.Clone();
        for (var i = xref; i < copy.Length - 6; i++)
        {
            copy[i] = (byte)'#';
        }

        return copy;
    }

    private async Task<byte[]> EncryptedAsync()
    {
        var directory = PadesTools.NewDirectory(hub, "portal-encrypted");
        await File.WriteAllBytesAsync(Path.Combine(directory, "in.pdf"), PadesTools.SimplePdf());
        var result = await PadesTools.RunAsync(directory, "qpdf", "--encrypt", "user", "owner", "256", "--", "in.pdf", "enc.pdf");
        Assert.True(result.ExitCode == 0, result.All);
        return await File.ReadAllBytesAsync(Path.Combine(directory, "enc.pdf"));
    }

    [GeneratedRegex("name=\"ReturnUrl\"[^>]*value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrl();
}
