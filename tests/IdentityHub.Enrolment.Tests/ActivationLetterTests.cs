using System.Diagnostics;
using IdentityHub.Enrolment.Lifecycle;
using Microsoft.Extensions.Options;

namespace IdentityHub.Enrolment.Tests;

/// <summary>The letter checked by poppler and qpdf, the independent readers of what the hub writes.</summary>
public sealed class ActivationLetterTests
{
    private static readonly ActivationLetterContent Letter = new("Žofia Anna", "Ņikolajeva-Öström Łukasiewicz-Ærø", "48293170656", "ID58392017463",
        "AB12-CD34-EF56", new DateTimeOffset(2026, 12, 24, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero), "TLN-01");

    private static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} is missing: run ./hub test, which installs poppler-utils and qpdf.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} failed: {await process.StandardError.ReadToEndAsync()}");
        return output;
    }

    [Fact]
    public async Task The_letter_is_one_A4_page_whose_text_keeps_every_diacritic()
    {
        var path = Path.Combine(Path.GetTempPath(), $"letter-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, new ActivationLetterRenderer(Options.Create(new EnrolmentOptions())).Render(Letter));
        try
        {
            var text = await RunAsync("pdftotext", "-layout", path, "-");
            var info = await RunAsync("pdfinfo", path);
            await RunAsync("qpdf", "--check", path);

            Assert.Contains("Žofia Anna Ņikolajeva-Öström Łukasiewicz-Ærø", text, StringComparison.Ordinal);
            Assert.Contains("48293170656", text, StringComparison.Ordinal);
            Assert.Contains("ID58392017463", text, StringComparison.Ordinal);
            Assert.Contains("AB12-CD34-EF56", text, StringComparison.Ordinal);
            Assert.Contains("24 December 2026", text, StringComparison.Ordinal);
            Assert.Matches(@"Pages:\s+1\n", info);
            Assert.Contains("(A4)", info, StringComparison.Ordinal);
            Assert.Contains("595 x 842", info, StringComparison.Ordinal);
            Assert.DoesNotContain("48293170656", info, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_font_is_named()
    {
        var renderer = new ActivationLetterRenderer(Options.Create(new EnrolmentOptions { LetterFontDirectory = "/nonexistent" }));

        var error = Assert.Throws<InvalidOperationException>(() => renderer.Render(Letter));

        Assert.Contains("fonts-liberation", error.Message, StringComparison.Ordinal);
    }
}
