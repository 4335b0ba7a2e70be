using System.Net;
using System.Text.RegularExpressions;
using IdentityHub.Data;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Authentication;

/// <summary>
/// The activation page answers every refusal the same way, so it does not tell whether a national ID has an account
/// or a letter, or what state the letter is in; the audit log keeps the exact reason.
/// </summary>
[Collection(HubCollection.Name)]
public sealed partial class ActivationAnswerTests(HubFixture hub)
{
    private static Dictionary<string, string> Form(string nationalId, string code) => new() { ["NationalId"] = nationalId, ["Code"] = code };

    private static async Task<(HttpStatusCode Status, string Body)> RefusalAsync(string nationalId, string code, HubFixture hub)
    {
        using var client = new HubWebClient(hub.BaseAddress);
        var answer = await client.SubmitAsync("/activate", Form(nationalId, code));
        // What differs by design: the antiforgery token, and the national ID the form shows again.
        var body = Token().Replace(answer.Body, "TOKEN").Replace(nationalId, "NATIONAL-ID", StringComparison.Ordinal);
        return (answer.Status, body);
    }

    [Fact]
    public async Task An_unknown_national_id_a_used_letter_a_locked_one_an_expired_one_and_a_wrong_code_get_the_same_answer()
    {
        var unknownId = IdentityHub.Core.Identity.NationalId.NewId().Value;
        var used = (await hub.ActivateWithTotpAsync()).Letter;
        var locked = await hub.IssueCitizenAsync();
        using (var client = new HubWebClient(hub.BaseAddress))
        {
            for (var i = 0; i < 5; i++)
            {
                await client.SubmitAsync("/activate", Form(locked.NationalId, "AAAA-BBBB-CCC" + i));
            }
        }

        var expired = await hub.IssueCitizenAsync();
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<HubDbContext>().Eids.Where(e => e.DocumentNumber == expired.DocumentNumber)
                .ExecuteUpdateAsync(u => u.SetProperty(e => e.ActivationCodeExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }

        var wrong = await hub.IssueCitizenAsync();

        var answers = new[]
        {
            await RefusalAsync(unknownId, wrong.ActivationCode, hub),
            await RefusalAsync(used.NationalId, used.ActivationCode, hub),
            await RefusalAsync(locked.NationalId, locked.ActivationCode, hub),
            await RefusalAsync(expired.NationalId, expired.ActivationCode, hub),
            await RefusalAsync(wrong.NationalId, "AAAA-BBBB-CCCC", hub),
        };

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(answers, a => Assert.Equal(answers[0].Body, a.Body));
        Assert.DoesNotContain("tries left", answers[0].Body, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"no-active-eid\"", await hub.LastAsync(unknownId, "auth.activation.refused"), StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"code-used\"", await hub.LastAsync(used.NationalId, "auth.activation.refused"), StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"locked\"", await hub.LastAsync(locked.NationalId, "auth.activation.refused"), StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"expired\"", await hub.LastAsync(expired.NationalId, "auth.activation.refused"), StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"wrong-code\"", await hub.LastAsync(wrong.NationalId, "auth.activation.refused"), StringComparison.Ordinal);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]+\"")]
    private static partial Regex Token();
}
