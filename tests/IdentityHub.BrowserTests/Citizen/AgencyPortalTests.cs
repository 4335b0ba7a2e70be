using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using AgencyPortal;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;

namespace IdentityHub.BrowserTests.Citizen;

/// <summary>
/// Issue 9: an ASP.NET Core relying party on Microsoft's OpenID Connect handler (samples/AgencyPortal, the code
/// docs/oidc.md shows) signs a citizen in with password and TOTP in Chromium, and signs out of itself and the hub.
/// The handler checks what it always checks (state, nonce, the ID token's signature against the JWKS, iss, aud, exp);
/// the sample adds the authorization response's iss (RFC 9207), the acr, and private_key_jwt.
/// </summary>
public sealed partial class AgencyPortalTests(CitizenHubFixture hub, Chromium chromium) : IClassFixture<CitizenHubFixture>, IClassFixture<Chromium>
{
    private const string Password = "seven quiet herons over amber fields";

    [Fact]
    public async Task A_citizen_signs_in_to_the_ASP_NET_Core_sample_with_password_and_TOTP_and_its_logout_ends_the_hub_session()
    {
        var letter = await hub.IssueCitizenAsync("Žofia");
        await using var session = await BrowserSession.OpenAsync(chromium, hub);
        await session.ActivateAsync(letter, Password);
        await session.SetUpTotpAndRecoveryCodesAsync(letter.NationalId);
        await session.SignOutAsync();
        await using var portal = await AgencyPortalHost.StartAsync(hub);
        var toHub = new ConcurrentQueue<Uri>();
        session.Page.Request += (_, request) =>
        {
            if (new Uri(request.Url) is { } url && url.Authority == hub.BaseAddress.Authority && url.AbsolutePath.StartsWith("/connect/", StringComparison.Ordinal))
            {
                toHub.Enqueue(url);
            }
        };

        // The protected page sends the browser to the hub's authorization endpoint, which asks for a login. The request
        // was pushed (RFC 9126; the client is registered with --require-par): the browser carries client_id and
        // request_uri only (and the handler's x-client-SKU and x-client-ver, its library version), none of the
        // authorization parameters: nothing the citizen could read or change.
        await session.GoToAsync(portal.Url("/account"));
        await AssertOnHubLoginAsync(session, portal);
        var authorize = Assert.Single(toHub, url => url.AbsolutePath == "/connect/authorize");
        var pushed = QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal(["client_id", "request_uri"], pushed.Keys.Where(k => !k.StartsWith("x-client-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(portal.ClientId, pushed["client_id"].ToString());
        Assert.StartsWith("urn:ietf:params:oauth:request_uri:", pushed["request_uri"].ToString(), StringComparison.Ordinal);
        await LogInAsync(session, letter.NationalId);

        // Back on the portal: the handler redeemed the code with a client assertion and accepted the ID token.
        Assert.Equal(portal.Url("/account"), session.Page.Url);
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your account");
        Assert.Equal("http://eidas.europa.eu/LoA/substantial", await ClaimAsync(session, "acr"));
        Assert.Matches("^[A-Za-z0-9_-]{43}$", await ClaimAsync(session, "sub"));
        Assert.Equal("Žofia", await ClaimAsync(session, "given_name"));
        Assert.Equal(["mfa", "otp", "pwd"], (await ClaimAsync(session, "amr")).Split(' ').Order(StringComparer.Ordinal).ToArray());
        await Assertions.Expect(session.Page.GetByText("Signed in as Žofia.")).ToBeVisibleAsync();
        await session.Page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "agency-portal-account.png"), FullPage = true });

        // RP-initiated logout: the portal's session ends, the hub's end-session endpoint ends the hub session (the
        // id_token_hint names it, so the hub asks nothing) and sends the browser back to the portal.
        await session.ClickAsync("Sign out");
        Assert.Equal(portal.Url("/signed-out"), session.Page.Url);
        var logout = QueryHelpers.ParseQuery(Assert.Single(toHub, url => url.AbsolutePath == "/connect/logout").Query);
        Assert.Equal(portal.Url("/signout-callback-oidc"), logout["post_logout_redirect_uri"].ToString());
        Assert.Matches(@"^[\w-]+\.[\w-]+\.[\w-]+$", logout["id_token_hint"].ToString());
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You are signed out");

        // Neither session is left: the protected page goes to the hub again, and the hub asks for a login again.
        await session.GoToAsync(portal.Url("/account"));
        await AssertOnHubLoginAsync(session, portal);
    }

    /// <summary>
    /// "The examples are the ones the tests run": every C# and JSON block of docs/oidc.md's ASP.NET Core example names its
    /// sample file in a comment above it and is in that file line for line (indentation aside), and the settings table,
    /// appsettings.json and <see cref="HubSettings"/> name the same settings.
    /// </summary>
    [Fact]
    public void The_guide_shows_the_sample_code_and_settings_as_they_are()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "IdentityHub.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("IdentityHub.sln not found above " + AppContext.BaseDirectory);
        }

        var guide = File.ReadAllText(Path.Combine(root.FullName, "docs", "oidc.md")).ReplaceLineEndings("\n");
        var start = guide.IndexOf("\n## Example: an ASP.NET Core app\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/oidc.md has no section 'Example: an ASP.NET Core app'");
        var end = guide.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = guide[start..(end < 0 ? guide.Length : end)];

        var blocks = SampleBlock().Matches(section);
        Assert.Equal(section.Split("```csharp\n").Length - 1 + section.Split("```json\n").Length - 1, blocks.Count);
        Assert.All(blocks, block =>
        {
            Assert.True(block.Groups["file"].Success, "a code block without <!-- samples/AgencyPortal/<file> --> above it:\n" + block.Groups["code"].Value);
            var file = Path.Combine(root.FullName, block.Groups["file"].Value);
            Assert.True(File.Exists(file), block.Groups["file"].Value + " does not exist");
            Assert.Contains(Normalized(block.Groups["code"].Value), Normalized(File.ReadAllText(file)), StringComparison.Ordinal);
        });
        Assert.Superset(
            new HashSet<string>(["Program.cs", "AgencyPortalApp.cs", "HubSignIn.cs", "ClientAssertions.cs", "AgencyPages.cs", "appsettings.json"]),
            blocks.Select(b => Path.GetFileName(b.Groups["file"].Value)).ToHashSet());

        // The settings an agency developer fills in: the table, the sample's appsettings.json and HubSettings agree.
        var table = SettingsRow().Matches(section).Select(m => m.Groups["key"].Value).Order(StringComparer.Ordinal).ToArray();
        var properties = typeof(HubSettings).GetProperties().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        using var appsettings = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root.FullName, "samples", "AgencyPortal", "appsettings.json")));
        var configured = appsettings.RootElement.GetProperty(HubSettings.Section).EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(properties, table);
        Assert.Equal(properties, configured);

        Assert.Contains(nameof(A_citizen_signs_in_to_the_ASP_NET_Core_sample_with_password_and_TOTP_and_its_logout_ends_the_hub_session), section, StringComparison.Ordinal);
        Assert.Contains(nameof(The_guide_shows_the_sample_code_and_settings_as_they_are), section, StringComparison.Ordinal);

        // Line for line with indentation and blank lines aside (the guide starts each block at the margin); whole lines only.
        static string Normalized(string code) =>
            "\n" + string.Join('\n', code.ReplaceLineEndings("\n").Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0)) + "\n";
    }

    /// <summary>
    /// The browser is on the hub's login page. Otherwise the failure says where it is, what the page shows and what the
    /// portal logged last, so that a failure in CI is understood from its message alone.
    /// </summary>
    private async Task AssertOnHubLoginAsync(BrowserSession session, AgencyPortalHost portal)
    {
        var url = new Uri(session.Page.Url);
        if (url.Authority == hub.BaseAddress.Authority && url.AbsolutePath == "/login")
        {
            return;
        }

        var text = await session.Page.Locator("body").InnerTextAsync();
        Assert.Fail($"""
            The browser should be on the hub's login page ({hub.BaseAddress}login) but is at {url}, showing:
            {text[..Math.Min(text.Length, 1500)]}
            The portal's log ends with:
            {portal.LogTail(30)}
            """);
    }

    private static async Task LogInAsync(BrowserSession session, string nationalId)
    {
        await session.Page.GetByLabel("National ID", new() { Exact = true }).FillAsync(nationalId);
        await session.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await session.ClickAsync("Continue");
        Assert.Equal("/login/verify", session.PathNow);
        await session.SecondFactorAsync(nationalId);
    }

    private static async Task<string> ClaimAsync(BrowserSession session, string type) =>
        (await session.Page.Locator("#claim-" + type).InnerTextAsync()).Trim();

    [GeneratedRegex(@"(?:<!-- (?<file>samples/AgencyPortal/[A-Za-z0-9_.]+) -->\n)?```(?:csharp|json)\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex SampleBlock();

    [GeneratedRegex(@"^\| `Hub:(?<key>[A-Za-z]+)` \|", RegexOptions.Multiline)]
    private static partial Regex SettingsRow();
}
