using System.Net;
using System.Text.RegularExpressions;

namespace IdentityHub.IntegrationTests.Console;

/// <summary>A staff member signed in to the officer console over HTTP (password, then a TOTP code), assigned to service points.</summary>
internal static partial class ConsoleOfficers
{
    /// <summary>Creates the account (password changed, TOTP app set up, assigned to the service points) and signs it in.</summary>
    public static async Task<HubWebClient> SignedInAsync(this HubFixture hub, string role, params string[] servicePoints)
    {
        var staff = await hub.CreateCounterStaffAsync($"{role}-{Guid.NewGuid():N}"[..20], role, servicePoints);
        var client = new HubWebClient(hub.BaseAddress);
        var password = await client.SubmitAsync("/console/sign-in", new Dictionary<string, string> { ["UserName"] = staff.UserName, ["Password"] = staff.Password });
        Assert.Equal("/console/sign-in/verify", password.Location);
        var code = await client.SubmitAsync("/console/sign-in/verify", new Dictionary<string, string> { ["Code"] = staff.NextCode() }, "/console/sign-in/verify?handler=Totp");
        Assert.Equal(HttpStatusCode.Redirect, code.Status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/console")).Status);
        return client;
    }

    /// <summary>The error summary's links, in the order shown: (href, text).</summary>
    public static IReadOnlyList<(string Href, string Text)> ErrorSummary(string html)
    {
        var summary = Summary().Match(html);
        return summary.Success
            ? [.. SummaryLink().Matches(summary.Value).Select(m => (m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value)))]
            : [];
    }

    /// <summary>The path a redirect points to.</summary>
    public static string PathOf(WebPage page) => new Uri(new Uri("http://hub"), page.Location ?? throw new InvalidOperationException($"no redirect: {(int)page.Status}")).AbsolutePath;

    [GeneratedRegex("<div class=\"error-summary\".*?</div>", RegexOptions.Singleline)]
    private static partial Regex Summary();

    [GeneratedRegex("<a href=\"([^\"]+)\">([^<]*)</a>")]
    private static partial Regex SummaryLink();
}
