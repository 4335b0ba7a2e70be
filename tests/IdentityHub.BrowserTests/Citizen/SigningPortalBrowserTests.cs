using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace IdentityHub.BrowserTests.Citizen;

/// <summary>
/// The signing portal in Debian Chromium, every page scanned with axe: a citizen uploads a PDF, checks its SHA-256,
/// confirms with a passkey (the CDP virtual authenticator) whose WebAuthn challenge is bound to that hash, and
/// downloads the signed PDF, which the hub's validation service passes as a qualified B-T signature.
/// </summary>
public sealed class SigningPortalBrowserTests(CitizenHubFixture hub, Chromium chromium) : IClassFixture<CitizenHubFixture>, IClassFixture<Chromium>
{
    private const string Password = "seven quiet herons over amber fields";

    [Fact]
    public async Task A_citizen_signs_a_PDF_in_the_portal_with_a_passkey_bound_activation_and_downloads_it()
    {
        var letter = await hub.IssueCitizenAsync("Liis");
        await using var session = await BrowserSession.OpenAsync(chromium, hub);
        await session.ActivateAsync(letter, Password);
        await session.SetUpTotpAndRecoveryCodesAsync(letter.NationalId);
        await session.GoToAsync("/account/passkey");
        await session.CreatePasskeyAsync("This laptop");

        var pdf = SimplePdf("Tenancy agreement, flat 4, Tartu");
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf));
        await session.GoToAsync("/sign");
        await Screenshot(session.Page, "sign-upload");
        await session.Page.SetInputFilesAsync("#Files", new FilePayload { Name = "tenancy.pdf", MimeType = "application/pdf", Buffer = pdf });
        await session.Page.SelectOptionAsync("#Level", "B-T");
        await session.Page.GetByLabel("Show the signature on the first page of each PDF").CheckAsync();
        await session.ClickAsync("Continue");

        Assert.StartsWith("/sign/requests/", session.PathNow, StringComparison.Ordinal);
        await Assertions.Expect(session.Page.Locator("#documents")).ToContainTextAsync(sha256);
        await Screenshot(session.Page, "sign-review");
        await session.ClickAsync("Sign");

        Assert.StartsWith("/sign/activate/", session.PathNow, StringComparison.Ordinal);
        await Assertions.Expect(session.Page.Locator("#documents")).ToContainTextAsync(sha256);
        await Screenshot(session.Page, "sign-activate");
        await session.PasskeyButtonAsync("Sign with passkey");

        Assert.StartsWith("/sign/requests/", session.PathNow, StringComparison.Ordinal);
        await Assertions.Expect(session.Page.Locator("#state")).ToHaveTextAsync("Signed");
        await Screenshot(session.Page, "sign-done");
        var download = await session.Page.RunAndWaitForDownloadAsync(() =>
            session.Page.GetByRole(AriaRole.Link, new() { Name = "Download tenancy.pdf" }).ClickAsync());
        Assert.Equal("tenancy.pdf", download.SuggestedFilename);
        var saved = Path.Combine(hub.WorkDirectory.FullName, "tenancy-signed.pdf");
        await download.SaveAsAsync(saved);
        var signed = await File.ReadAllBytesAsync(saved);

        Assert.Equal(pdf, signed[..pdf.Length]);
        await using var scope = hub.App.Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<ValidationService>()
            .ValidateAsync(new ValidationInput("tenancy.pdf", signed, Array.Empty<SignedFile>()), null, CancellationToken.None);
        var signature = Assert.Single(report.Signatures);
        Assert.True(signature.Indication == Indication.TotalPassed, string.Join(" | ", signature.Messages));
        Assert.Equal(SignatureLevel.BaselineT, signature.Level);
        Assert.True(signature.QualifiedCertificate);
        Assert.Contains(letter.Surname.ToUpperInvariant(), signature.Signer!.Subject, StringComparison.Ordinal);

        await session.GoToAsync("/sign/history");
        await Assertions.Expect(session.Page.Locator("#history")).ToContainTextAsync(sha256);
        await session.GoToAsync("/verify");
        await Screenshot(session.Page, "verify");
    }

    private static byte[] SimplePdf(string text)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        builder.AddPage(PageSize.A4).AddText(text, 12, new PdfPoint(72, 760), font);
        return builder.Build();
    }

    private static async Task Screenshot(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("HUB_SCREENSHOT_DIR") is { Length: > 0 } shots)
        {
            Directory.CreateDirectory(shots);
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, name + ".png"), FullPage = true });
        }
    }
}
