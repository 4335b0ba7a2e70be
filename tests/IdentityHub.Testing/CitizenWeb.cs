using System.Net;
using OtpNet;

namespace IdentityHub.Testing;

/// <summary>A citizen who activated their eID over HTTP and set up a TOTP app; it computes codes like the app would.</summary>
public sealed class ActivatedCitizen(HubWebClient client, CitizenLetter letter, string password, byte[] totpSecret)
{
    private long _lastStep;

    public HubWebClient Client { get; } = client;

    public CitizenLetter Letter { get; } = letter;

    public string Password { get; } = password;

    public byte[] TotpSecret { get; } = totpSecret;

    /// <summary>The code of the current step, or of the next when this one was used (each step is accepted once).</summary>
    public string NextCode()
    {
        var step = (long)(DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds / 30;
        _lastStep = Math.Max(step, _lastStep + 1);
        return new OtpNet.Totp(TotpSecret).ComputeTotp(DateTime.UnixEpoch.AddSeconds(_lastStep * 30));
    }

    /// <summary>The code <paramref name="steps"/> steps away from the current one, not marked used.</summary>
    public string CodeAt(int steps) => new OtpNet.Totp(TotpSecret).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * steps));
}

public static class CitizenWeb
{
    public const string DefaultPassword = "quiet rivers fold paper lanterns";

    /// <summary>Activation over HTTP: the letter's code, a password, then a TOTP app (its key read from the page).</summary>
    public static async Task<ActivatedCitizen> ActivateWithTotpAsync(this HubFixture hub, CitizenLetter? letter = null, string password = DefaultPassword)
    {
        ArgumentNullException.ThrowIfNull(hub);
        return await ActivateWithTotpAsync(hub.BaseAddress, letter ?? await hub.IssueCitizenAsync(), password);
    }

    /// <summary>The same on any running hub, for a letter already printed.</summary>
    public static async Task<ActivatedCitizen> ActivateWithTotpAsync(Uri baseAddress, CitizenLetter letter, string password = DefaultPassword)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var client = new HubWebClient(baseAddress);
        var code = await client.SubmitAsync("/activate", new Dictionary<string, string> { ["NationalId"] = letter.NationalId, ["Code"] = letter.ActivationCode });
        Expect(code, "/activate/password", "activation code");
        var chosen = await client.SubmitAsync("/activate/password", new Dictionary<string, string> { ["NewPassword"] = password, ["ConfirmPassword"] = password });
        Expect(chosen, "/account/setup", "password");
        var secret = await AddTotpAsync(client, "/account/totp", "Phone", -1);
        return new ActivatedCitizen(client, letter, password, secret);
    }

    /// <summary>Adds a TOTP app on a set-up page; confirms with the code of <paramref name="step"/> steps from now.</summary>
    public static async Task<byte[]> AddTotpAsync(HubWebClient client, string page, string name, int step)
    {
        ArgumentNullException.ThrowIfNull(client);
        var form = await client.GetAsync(page);
        var key = System.Text.RegularExpressions.Regex.Match(form.Body, "id=\"totp-secret\">([A-Z2-7 ]+)<").Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        var secret = Base32Encoding.ToBytes(key);
        await AwayFromAStepBoundaryAsync();
        var confirmed = await client.PostAsync(page, new Dictionary<string, string>
        {
            ["State"] = form.Hidden("State")!,
            ["Name"] = name,
            ["Code"] = new OtpNet.Totp(secret).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * step)),
        }, HubWebClient.TokenOf(form.Body));
        if (confirmed.Status != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"TOTP set-up on {page} answered {(int)confirmed.Status}");
        }

        return secret;
    }

    /// <summary>
    /// Waits out the last two seconds of a 30-second TOTP step, so that a code computed now is still within the hub's
    /// one step of drift when the request arrives (a code of step -1 sent at 29.9 s lands two steps back).
    /// </summary>
    public static async Task AwayFromAStepBoundaryAsync()
    {
        var intoStep = (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds % 30;
        if (intoStep > 28)
        {
            await Task.Delay(TimeSpan.FromSeconds(30 - intoStep + 0.2));
        }
    }

    /// <summary>National id and password on /login; returns the answer (a redirect to /login/verify when a second factor follows).</summary>
    public static Task<WebPage> PasswordAsync(this HubWebClient client, string nationalId, string password, string query = "") =>
        client.SubmitAsync("/login" + query, new Dictionary<string, string> { ["NationalId"] = nationalId, ["Password"] = password });

    /// <summary>A TOTP code on the verify page.</summary>
    public static Task<WebPage> TotpAsync(this HubWebClient client, string code) =>
        client.SubmitAsync("/login/verify", new Dictionary<string, string> { ["Code"] = code }, "/login/verify?handler=Totp");

    /// <summary>Password and TOTP: a full login at substantial.</summary>
    public static Task<WebPage> LoginAsync(this ActivatedCitizen citizen) => citizen.LoginAsync(citizen?.Client!);

    /// <summary>Password and TOTP on another client (another device of the same citizen), with the same app's codes.</summary>
    public static async Task<WebPage> LoginAsync(this ActivatedCitizen citizen, HubWebClient client)
    {
        ArgumentNullException.ThrowIfNull(citizen);
        ArgumentNullException.ThrowIfNull(client);
        var password = await client.PasswordAsync(citizen.Letter.NationalId, citizen.Password);
        Expect(password, "/login/verify", "password");
        return await client.TotpAsync(citizen.NextCode());
    }

    public static void Expect(WebPage page, string location, string step)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (page.Status != HttpStatusCode.Redirect || page.Location != location)
        {
            throw new InvalidOperationException($"{step}: expected a redirect to {location}, got {(int)page.Status} {page.Location}");
        }
    }
}
