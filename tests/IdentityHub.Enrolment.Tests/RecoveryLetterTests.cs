using System.Diagnostics;
using IdentityHub.Enrolment.Letters;
using Microsoft.Extensions.Options;

namespace IdentityHub.Enrolment.Tests;

/// <summary>The recovery letter checked by poppler and qpdf: a posted one starts with the name and registered address.</summary>
public sealed class RecoveryLetterTests
{
    private static readonly RecoveryLetterContent Posted = new(Guid.NewGuid(), "Žofia Anna", "Ņikolajeva-Öström", "48293170656", "AB12-CD34-EF56",
        new DateTimeOffset(2027, 1, 4, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero), "post",
        "Rüütli 12-3\r\n51007 Tartu\nEstonia");

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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_letter_is_one_page_with_the_code_and_for_post_the_address_lines_first(bool posted)
    {
        var letter = posted ? Posted : Posted with { PostalAddress = null, PrintedBy = "TLN-01" };
        var path = Path.Combine(Path.GetTempPath(), $"recovery-letter-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, new RecoveryLetterRenderer(Options.Create(new EnrolmentOptions())).Render(letter));
        try
        {
            var text = await RunAsync("pdftotext", "-layout", path, "-");
            var info = await RunAsync("pdfinfo", path);
            await RunAsync("qpdf", "--check", path);

            Assert.Contains("Žofia Anna Ņikolajeva-Öström", text, StringComparison.Ordinal);
            Assert.Contains("AB12-CD34-EF56", text, StringComparison.Ordinal);
            Assert.Contains("4 January 2027", text, StringComparison.Ordinal);
            Assert.Contains("https://eid.identityhub.example/recover", text, StringComparison.Ordinal);
            Assert.Matches(@"Pages:\s+1\n", info);
            Assert.DoesNotContain("48293170656", info, StringComparison.Ordinal);
            if (posted)
            {
                Assert.Matches(@"Rüütli 12-3\s*\n\s*51007 Tartu\s*\n\s*Estonia", text);
                Assert.True(text.IndexOf("Rüütli", StringComparison.Ordinal) < text.IndexOf("AB12-CD34-EF56", StringComparison.Ordinal));
                Assert.Contains("Posted to your registered address", text, StringComparison.Ordinal);
            }
            else
            {
                Assert.DoesNotContain("Rüütli", text, StringComparison.Ordinal);
                Assert.Contains("Printed at service point TLN-01", text, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
