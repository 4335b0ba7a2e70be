using IdentityHub.Authentication.Staff;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdentityHub.BrowserTests;

/// <summary>
/// One browser context on a hub (own cookies), with the console's steps as a person does them. Every page it lands on
/// is scanned with axe and checked for Content-Security-Policy violations the browser reported.
/// </summary>
public sealed class ConsoleSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _cspViolations = [];

    private ConsoleSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                _cspViolations.Add(message.Text);
            }
        };
    }

    public IPage Page { get; }

    public static async Task<ConsoleSession> OpenAsync(Chromium chromium, HubFixture hub)
    {
        ArgumentNullException.ThrowIfNull(chromium);
        ArgumentNullException.ThrowIfNull(hub);
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = hub.BaseAddress.ToString() });
        return new ConsoleSession(context, await context.NewPageAsync());
    }

    /// <summary>Opens a path and scans it; returns the final response (after redirects).</summary>
    public async Task<IResponse?> GoToAsync(string path)
    {
        var response = await Page.GotoAsync(path);
        await CheckPageAsync();
        return response;
    }

    /// <summary>axe on the current page, and no Content-Security-Policy violation reported so far.</summary>
    public async Task CheckPageAsync()
    {
        Assert.True(_cspViolations.Count == 0, "Content-Security-Policy violations:\n" + string.Join('\n', _cspViolations));
        await Page.AssertAccessibleAsync();
    }

    public async Task SignInAsync(string userName, string password)
    {
        await GoToAsync("/console/sign-in");
        await Page.GetByLabel("Username", new() { Exact = true }).FillAsync(userName);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Page.WaitForLoadStateAsync();
        await CheckPageAsync();
    }

    public async Task ChangePasswordAsync(string current, string replacement)
    {
        Assert.EndsWith("/console/change-password", new Uri(Page.Url).AbsolutePath, StringComparison.Ordinal);
        await Page.GetByLabel("Current password", new() { Exact = true }).FillAsync(current);
        await Page.GetByLabel("New password", new() { Exact = true }).FillAsync(replacement);
        await Page.GetByLabel("Confirm new password", new() { Exact = true }).FillAsync(replacement);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Page.WaitForLoadStateAsync();
        await CheckPageAsync();
    }

    public async Task SignOutAsync()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Page.WaitForLoadStateAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
    }
}

public static class StaffAccountsOnHub
{
    /// <summary>Creates a staff account directly through the hub's services; returns its one-time password.</summary>
    public static async Task<string> CreateStaffAsync(this HubFixture hub, string userName, string role)
    {
        ArgumentNullException.ThrowIfNull(hub);
        await using var scope = hub.App.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<StaffAccounts>()
            .CreateAsync(userName, userName + " (test)", role, "browser-tests", CancellationToken.None);
        Assert.True(created.Succeeded, created.Error);
        return created.OneTimePassword!;
    }
}
