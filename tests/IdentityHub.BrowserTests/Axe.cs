using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace IdentityHub.BrowserTests;

/// <summary>Runs axe-core on the page and fails on any violation of impact serious or critical, listing them all.</summary>
public static class Axe
{
    private static readonly string[] Blocking = ["serious", "critical"];

    public static async Task AssertAccessibleAsync(this IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var results = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
        });
        var blocking = results.Violations.Where(v => Blocking.Contains(v.Impact, StringComparer.Ordinal)).ToList();
        if (blocking.Count == 0)
        {
            return;
        }

        var report = new StringBuilder($"axe found {blocking.Count} serious or critical violation(s) on {page.Url}:\n");
        foreach (var violation in blocking)
        {
            report.Append("- ").Append(violation.Id).Append(" (").Append(violation.Impact).Append("): ").Append(violation.Help)
                .Append(" <").Append(violation.HelpUrl).Append(">\n");
            foreach (var node in violation.Nodes)
            {
                report.Append("    ").Append(node.Target).Append(": ").Append(node.Html).Append('\n');
            }
        }

        Assert.Fail(report.ToString());
    }
}
