using Microsoft.Playwright;
using OtpNet;

namespace IdentityHub.BrowserTests;

/// <summary>
/// One browser context on a hub (own cookies, own virtual authenticator), with the steps a person does. Every page it
/// lands on is scanned with axe and checked for Content-Security-Policy violations the browser reported. It keeps the
/// TOTP secrets it set up, as a phone would, and computes codes with Otp.NET (RFC 6238), never reusing a time step.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _cspViolations = [];
    private readonly Dictionary<string, byte[]> _totpSecrets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastStep = new(StringComparer.Ordinal);
    private string _account = "";

    private BrowserSession(IBrowserContext context, IPage page, VirtualAuthenticator authenticator)
    {
        _context = context;
        Page = page;
        Authenticator = authenticator;
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                _cspViolations.Add(message.Text);
            }
        };
    }

    public IPage Page { get; }

    /// <summary>The context's virtual CTAP2 authenticator (resident keys, user verification).</summary>
    public VirtualAuthenticator Authenticator { get; }

    public IBrowserContext Context => _context;

    /// <summary>A context on the hub's localhost address (WebAuthn needs a host name, not an IP address).</summary>
    public static async Task<BrowserSession> OpenAsync(Chromium chromium, HubFixture hub)
    {
        ArgumentNullException.ThrowIfNull(chromium);
        ArgumentNullException.ThrowIfNull(hub);
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = hub.BrowserAddress.ToString() });
        // Playwright's 30 s default is too tight on 2 busy cores (a page that hashes a password with Argon2id while the
        // rest of the suite runs): a slow machine must not read as a failed test.
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        var page = await context.NewPageAsync();
        return new BrowserSession(context, page, await VirtualAuthenticator.AddAsync(context, page));
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

    public string PathNow => new Uri(Page.Url).AbsolutePath;

    /// <summary>Clicks a button and waits for the page it leads to, then scans that page.</summary>
    public Task ClickAsync(string button) => FollowAsync(Page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }));

    /// <summary>
    /// Clicks a link or a submit button and waits until the page it leads to has loaded, then scans that page.
    /// A click alone returns before the browser commits the navigation, so a check straight after it could
    /// still see the page that was left.
    /// </summary>
    public async Task FollowAsync(ILocator target)
    {
#pragma warning disable CS0612 // RunAndWaitForNavigationAsync: the one wait that starts before the click
        await Page.RunAndWaitForNavigationAsync(() => target.ClickAsync(), new() { WaitUntil = WaitUntilState.Load });
#pragma warning restore CS0612
        await CheckPageAsync();
    }

    /// <summary>Starts a passkey ceremony with a button and waits for the page the form posts to.</summary>
    public async Task PasskeyButtonAsync(string button)
    {
        // The script posts the form after the browser's ceremony: a navigation the click only starts indirectly.
#pragma warning disable CS0612 // RunAndWaitForNavigationAsync: still the way to wait for a script-started navigation
        await Page.RunAndWaitForNavigationAsync(() => Page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync(),
            new() { WaitUntil = WaitUntilState.Load });
#pragma warning restore CS0612
        await CheckPageAsync();
    }

    // --- officer console -----------------------------------------------------------------------------------------

    /// <summary>Username and password; then the second factor this session set up (TOTP code or passkey), if asked.</summary>
    public async Task SignInAsync(string userName, string password)
    {
        _account = userName;
        await GoToAsync("/console/sign-in");
        await Page.GetByLabel("Username", new() { Exact = true }).FillAsync(userName);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await ClickAsync("Sign in");
        if (PathNow == "/console/sign-in/verify")
        {
            await SecondFactorAsync(userName);
        }
    }

    /// <summary>The forced password change, and then the forced set-up of a second factor (a passkey for admins).</summary>
    public async Task ChangePasswordAsync(string current, string replacement)
    {
        Assert.EndsWith("/console/change-password", PathNow, StringComparison.Ordinal);
        await Page.GetByLabel("Current password", new() { Exact = true }).FillAsync(current);
        await Page.GetByLabel("New password", new() { Exact = true }).FillAsync(replacement);
        await Page.GetByLabel("Confirm new password", new() { Exact = true }).FillAsync(replacement);
        await ClickAsync("Change password");
        if (PathNow == "/console/setup")
        {
            var userName = _account;
            if (await Page.GetByRole(AriaRole.Link, new() { Name = "Use an authenticator app" }).CountAsync() > 0)
            {
                await Page.GetByRole(AriaRole.Link, new() { Name = "Use an authenticator app" }).ClickAsync();
                await Page.WaitForLoadStateAsync();
                await CheckPageAsync();
                await SetUpTotpAsync(userName);
            }
            else
            {
                await Page.GetByRole(AriaRole.Link, new() { Name = "Create a passkey" }).ClickAsync();
                await Page.WaitForLoadStateAsync();
                await CheckPageAsync();
                await CreatePasskeyAsync("Test security key");
            }
        }
    }

    public async Task SignOutAsync()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Page.WaitForLoadStateAsync();
    }

    // --- citizen pages --------------------------------------------------------------------------------------------

    /// <summary>Activation with the letter: national id and code, then the password (twice); lands on the set-up page.</summary>
    public async Task ActivateAsync(CitizenLetter letter, string password)
    {
        ArgumentNullException.ThrowIfNull(letter);
        _account = letter.NationalId;
        await GoToAsync("/activate");
        await Page.GetByLabel("National ID", new() { Exact = true }).FillAsync(letter.NationalId);
        await Page.GetByLabel("Activation code", new() { Exact = true }).FillAsync(letter.ActivationCode);
        await ClickAsync("Continue");
        Assert.Equal("/activate/password", PathNow);
        await Page.GetByLabel("New password", new() { Exact = true }).FillAsync(password);
        await Page.GetByLabel("Confirm your password", new() { Exact = true }).FillAsync(password);
        await ClickAsync("Continue");
        Assert.Equal("/account/setup", PathNow);
    }

    /// <summary>On the set-up page: an authenticator app, then ten recovery codes (returned), then the account page.</summary>
    public async Task<IReadOnlyList<string>> SetUpTotpAndRecoveryCodesAsync(string nationalId)
    {
        await Page.GetByRole(AriaRole.Link, new() { Name = "Use an authenticator app" }).ClickAsync();
        await Page.WaitForLoadStateAsync();
        await CheckPageAsync();
        await SetUpTotpAsync(nationalId);
        Assert.Equal("/account/recovery-codes", PathNow);
        await ClickAsync("Create recovery codes");
        var codes = await Page.Locator("#recovery-codes li").AllInnerTextsAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "I have saved my codes" }).ClickAsync();
        await Page.WaitForLoadStateAsync();
        await CheckPageAsync();
        Assert.Equal("/account", PathNow);
        return codes.Select(c => c.Trim()).ToList();
    }

    /// <summary>National id and password on /login (with an optional query such as ?level=high), then the second factor.</summary>
    public async Task CitizenSignInAsync(string nationalId, string password, string query = "", bool secondFactor = true)
    {
        _account = nationalId;
        await GoToAsync("/login" + query);
        await Page.GetByLabel("National ID", new() { Exact = true }).FillAsync(nationalId);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await ClickAsync("Continue");
        if (secondFactor && PathNow == "/login/verify")
        {
            await SecondFactorAsync(nationalId);
        }
    }

    /// <summary>The level of assurance the account page shows for this session.</summary>
    public async Task<string> SessionLevelAsync()
    {
        if (PathNow != "/account")
        {
            await GoToAsync("/account");
        }

        return (await Page.Locator("#session-level").InnerTextAsync()).Trim();
    }

    // --- factors, on the console's and the citizen's pages -----------------------------------------------------------

    /// <summary>On a TOTP set-up page: reads the key shown for manual entry, and confirms with a code computed from it.</summary>
    public async Task SetUpTotpAsync(string account, string name = "Phone")
    {
        var key = (await Page.Locator("#totp-secret").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal);
        _totpSecrets[account] = Base32Encoding.ToBytes(key);
        // A new app counts its own used steps (the hub accepts each step once per app): codes start at the current one,
        // not after the last step an earlier app used, which could put them two steps ahead, beyond the drift allowed.
        _lastStep.Remove(account);
        await Page.GetByLabel("Name for this app", new() { Exact = true }).FillAsync(name);
        await Page.GetByLabel("Code from the app", new() { Exact = true }).FillAsync(NextCode(account));
        await ClickAsync("Confirm");
    }

    /// <summary>On a passkey set-up page: names it and lets the virtual authenticator create it.</summary>
    public async Task CreatePasskeyAsync(string name)
    {
        await Page.GetByLabel("Name for this passkey", new() { Exact = true }).FillAsync(name);
        await PasskeyButtonAsync("Create passkey");
    }

    /// <summary>On a verify page: a TOTP code when this session set up an app for the account, else the passkey.</summary>
    public async Task SecondFactorAsync(string account)
    {
        if (_totpSecrets.ContainsKey(account) && await Page.GetByLabel("6-digit code", new() { Exact = true }).CountAsync() > 0)
        {
            await Page.GetByLabel("6-digit code", new() { Exact = true }).FillAsync(NextCode(account));
            await ClickAsync("Continue");
        }
        else
        {
            await PasskeyButtonAsync("Use a passkey");
        }
    }

    public bool HasTotp(string account) => _totpSecrets.ContainsKey(account);

    /// <summary>
    /// Takes the passkeys out of this context's authenticator (Chromium's virtual authenticator answers the login
    /// page's conditional request by itself whenever it holds a passkey, as if the person picked it from autofill).
    /// </summary>
    public async Task<IReadOnlyList<System.Text.Json.JsonElement>> TakePasskeysAsync()
    {
        var credentials = await Authenticator.CredentialsAsync();
        foreach (var credential in credentials)
        {
            await Authenticator.RemoveCredentialAsync(credential.GetProperty("credentialId").GetString()!);
        }

        return credentials;
    }

    /// <summary>Puts passkeys (taken from this or another context) into this context's authenticator.</summary>
    public async Task PutPasskeysAsync(IEnumerable<System.Text.Json.JsonElement> credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        foreach (var credential in credentials)
        {
            await Authenticator.AddCredentialAsync(credential);
        }
    }

    /// <summary>The same authenticator app on another device: shares the secret and the used steps.</summary>
    public void ShareTotpWith(BrowserSession other, string account)
    {
        ArgumentNullException.ThrowIfNull(other);
        _totpSecrets[account] = other._totpSecrets[account];
        _lastStep[account] = Math.Max(other._lastStep.GetValueOrDefault(account), _lastStep.GetValueOrDefault(account));
    }

    /// <summary>The code of the current time step, or of the next when the current one was used (the hub accepts each step once).</summary>
    public string NextCode(string account)
    {
        var secret = _totpSecrets[account];
        var now = DateTime.UtcNow;
        var step = (long)(now - DateTime.UnixEpoch).TotalSeconds / 30;
        if (_lastStep.TryGetValue(account, out var last) && step <= last)
        {
            step = last + 1;
        }

        _lastStep[account] = step;
        return new OtpNet.Totp(secret).ComputeTotp(DateTime.UnixEpoch.AddSeconds(step * 30));
    }

    /// <summary>A code the app would show <paramref name="steps"/> steps from now, without marking it used.</summary>
    public string CodeAt(string account, int steps) =>
        new OtpNet.Totp(_totpSecrets[account]).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * steps));

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
    }
}
