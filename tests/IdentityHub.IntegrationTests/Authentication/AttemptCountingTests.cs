using System.Net;
using IdentityHub.Data.Accounts;
using IdentityHub.IntegrationTests.Infrastructure;

namespace IdentityHub.IntegrationTests.Authentication;

/// <summary>
/// Guesses that arrive together are counted before any of them is checked: the attempt is reserved in the statement
/// that checks the limit, so after four failures a burst gets at most one more check, whatever the timing. The audit
/// reasons tell a checked guess (wrong-…) from one refused because the account or the code was already locked.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class AttemptCountingTests(HubFixture hub)
{
    private static Dictionary<string, string> SignIn(string user, string password) => new() { ["UserName"] = user, ["Password"] = password };

    private static async Task<WebPage[]> BurstAsync(HubWebClient client, string path, IEnumerable<Dictionary<string, string>> forms)
    {
        var token = HubWebClient.TokenOf((await client.GetAsync(path.Split('?')[0])).Body);
        return await Task.WhenAll(forms.Select(form => client.PostAsync(path, form, token)));
    }

    [Fact]
    public async Task After_four_wrong_passwords_a_burst_of_twenty_gets_at_most_one_verification()
    {
        var user = "burst-" + Guid.NewGuid().ToString("N")[..6];
        var password = await hub.CreateStaffAsync(user, StaffRoles.Officer);
        using var client = new HubWebClient(hub.BaseAddress);
        for (var i = 0; i < 4; i++)
        {
            await client.SubmitAsync("/console/sign-in", SignIn(user, "not the password " + i));
        }

        var burst = await BurstAsync(client, "/console/sign-in", Enumerable.Range(0, 20).Select(i => SignIn(user, "burst guess " + i)));

        Assert.All(burst, a => Assert.Contains("The username or password is wrong.", a.Body, StringComparison.Ordinal));
        var reasons = (await hub.EventsAsync(user)).Where(e => e.Type == "auth.login.failed").Skip(4).Select(e => e.Details).ToList();
        Assert.Equal(20, reasons.Count);
        var verified = reasons.Count(r => r.Contains("\"wrong-password", StringComparison.Ordinal));
        Assert.True(verified <= 1, $"{verified} guesses of the burst were verified");
        Assert.Equal(20 - verified, reasons.Count(r => r.Contains("\"locked-out\"", StringComparison.Ordinal)));
        Assert.Single(await hub.EventsAsync(user), e => e.Type == "auth.lockout");
        var right = await client.SubmitAsync("/console/sign-in", SignIn(user, password));
        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.Contains("The username or password is wrong.", right.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_four_wrong_app_codes_a_burst_of_ten_gets_at_most_one_check()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var client = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await client.PasswordAsync(citizen.Letter.NationalId, citizen.Password), "/login/verify", "password");
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.TotpAsync(citizen.CodeAt(5 + i))).Status);
        }

        var burst = await BurstAsync(client, "/login/verify?handler=Totp", Enumerable.Range(0, 10).Select(i => new Dictionary<string, string> { ["Code"] = citizen.CodeAt(10 + i) }));

        Assert.All(burst, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var reasons = (await hub.EventsAsync(citizen.Letter.NationalId)).Where(e => e.Type == "auth.login.failed").Skip(4).Select(e => e.Details).ToList();
        Assert.Equal(10, reasons.Count);
        var checkedCodes = reasons.Count(r => r.Contains("\"totp-", StringComparison.Ordinal));
        Assert.True(checkedCodes <= 1, $"{checkedCodes} codes of the burst were checked");
        Assert.Equal(10 - checkedCodes, reasons.Count(r => r.Contains("\"locked-or-disabled\"", StringComparison.Ordinal)));
        var right = await client.TotpAsync(citizen.NextCode());
        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.Contains("Too many wrong tries", WebUtility.HtmlDecode(right.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_four_wrong_activation_codes_a_burst_of_ten_with_the_right_one_gets_at_most_one_comparison()
    {
        var letter = await hub.IssueCitizenAsync();
        using var client = new HubWebClient(hub.BaseAddress);
        Dictionary<string, string> Form(string code) => new() { ["NationalId"] = letter.NationalId, ["Code"] = code };
        for (var i = 0; i < 4; i++)
        {
            await client.SubmitAsync("/activate", Form("AAAA-BBBB-CCC" + i));
        }

        var guesses = Enumerable.Range(0, 9).Select(i => Form("DDDD-EEEE-FFF" + i)).Append(Form(letter.ActivationCode));
        await BurstAsync(client, "/activate", guesses);

        var events = (await hub.EventsAsync(letter.NationalId)).Where(e => e.Type.StartsWith("auth.activation.", StringComparison.Ordinal)).Skip(4).ToList();
        var compared = events.Count(e => e.Type == "auth.activation.code-accepted" || e.Details.Contains("\"wrong-code", StringComparison.Ordinal));
        Assert.True(compared <= 1, $"{compared} codes of the burst were compared");
        Assert.Equal(10 - compared, events.Count(e => e.Details.Contains("\"locked\"", StringComparison.Ordinal)));
    }
}
