using System.Net;
using System.Text.RegularExpressions;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Enrolment;
using IdentityHub.Enrolment.Letters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Recovery;

/// <summary>Recovery letters and the /recover form, as tests drive them on the shared hub.</summary>
internal static partial class RecoveryDriver
{
    public const string NewPassword = "copper kites drift over harbours";

    /// <summary>A letter printed at a counter by an officer who acts everywhere; returns its code (as the PDF prints it).</summary>
    public static async Task<string> PrintLetterAsync(this HubFixture hub, string nationalId)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var officer = new StaffActor("test-officer", new HashSet<string> { StaffRoles.Officer });
        var printed = await scope.ServiceProvider.GetRequiredService<RecoveryLetters>().PrintAtCounterAsync(nationalId, true, officer, CancellationToken.None);
        Assert.True(printed.Succeeded, string.Join("; ", printed.Errors.Select(e => e.Message)));
        return printed.Value!.Code;
    }

    public static Task<WebPage> RecoverAsync(this HubWebClient client, string nationalId, string code, string password = NewPassword) =>
        client.SubmitAsync("/recover", new Dictionary<string, string>
        {
            ["NationalId"] = nationalId,
            ["Code"] = code,
            ["NewPassword"] = password,
            ["ConfirmPassword"] = password,
        });

    public static async Task<T> DbAsync<T>(this HubFixture hub, Func<HubDbContext, Task<T>> query)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<HubDbContext>());
    }

    /// <summary>Runs <paramref name="sql"/> as the database's owner role, for what the app role may not do.</summary>
    public static async Task AsOwnerAsync(this HubFixture hub, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(hub.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static Task<Guid> AccountIdAsync(this HubFixture hub, string nationalId) =>
        hub.DbAsync(db => db.Users.Where(u => u.UserName == nationalId).Select(u => u.Id).SingleAsync());

    public static Task<List<RecoveryLetterRecord>> LettersAsync(this HubFixture hub, string nationalId) =>
        hub.DbAsync(async db =>
        {
            var account = await db.Users.Where(u => u.UserName == nationalId).Select(u => u.Id).SingleAsync();
            return await db.RecoveryLetters.AsNoTracking().Where(l => l.AccountId == account).OrderBy(l => l.CreatedAt).ToListAsync();
        });

    /// <summary>The text of a PDF as poppler's pdftotext reads it (an independent reader).</summary>
    public static async Task<string> PdfTextAsync(byte[] pdf)
    {
        var path = Path.Combine(Path.GetTempPath(), "recovery-" + Guid.NewGuid().ToString("N") + ".pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            var text = await ProcessRunner.RunAsync("pdftotext", "-layout", path, "-");
            Assert.Equal(0, text.ExitCode);
            return text.Output;
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static string CodeIn(string letterText)
    {
        var match = Code().Match(letterText);
        Assert.True(match.Success, "no recovery code in the letter: " + letterText);
        return match.Value;
    }

    /// <summary>The page answered with the uniform refusal next to the code field.</summary>
    public static void Refused(WebPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("The national ID or recovery code is wrong, or this code can no longer be used.", WebUtility.HtmlDecode(page.Body), StringComparison.Ordinal);
    }

    [GeneratedRegex("[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")]
    private static partial Regex Code();
}
