using System.Net;
using IdentityHub.Data;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Authentication;

/// <summary>
/// Activation with the letter's one-time code: works once, expires, locks after five wrong tries. Every refusal gets the
/// same answer (see ActivationAnswerTests); the audit log says which it was.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class ActivationTests(HubFixture hub)
{
    private const string Refused = "The national ID or activation code is wrong, or this code can no longer be used.";

    private static Dictionary<string, string> Form(string nationalId, string code) => new() { ["NationalId"] = nationalId, ["Code"] = code };

    [Fact]
    public async Task The_letter_code_and_a_password_activate_the_eID_and_open_the_set_up_of_a_second_factor()
    {
        var citizen = await hub.ActivateWithTotpAsync();

        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var eid = await db.Eids.AsNoTracking().SingleAsync(e => e.DocumentNumber == citizen.Letter.DocumentNumber);
        Assert.NotNull(eid.ActivatedAt);
        Assert.Null(eid.ActivationCodeHash);
        var account = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == citizen.Letter.NationalId);
        Assert.Equal(eid.PersonId, account.PersonId);
        Assert.StartsWith("$argon2id$", account.PasswordHash, StringComparison.Ordinal);
        var events = (await hub.EventsAsync(citizen.Letter.NationalId)).Select(e => e.Type).ToList();
        Assert.Contains("auth.activation.code-accepted", events);
        Assert.Contains("auth.activation.completed", events);
        Assert.Contains("auth.factor.added", events);
    }

    [Fact]
    public async Task A_used_code_is_refused_with_an_audit_entry_naming_why()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        using var other = new HubWebClient(hub.BaseAddress);

        var again = await other.SubmitAsync("/activate", Form(citizen.Letter.NationalId, citizen.Letter.ActivationCode));

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Contains(Refused, again.Body, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"code-used\"", await hub.LastAsync(citizen.Letter.NationalId, "auth.activation.refused"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fifth_wrong_code_locks_it_and_then_even_the_right_code_is_refused()
    {
        var letter = await hub.IssueCitizenAsync();
        using var client = new HubWebClient(hub.BaseAddress);
        for (var i = 1; i <= 5; i++)
        {
            var wrong = await client.SubmitAsync("/activate", Form(letter.NationalId, "AAAA-BBBB-CCCC"));
            Assert.Contains(Refused, wrong.Body, StringComparison.Ordinal);
        }

        var sixth = await client.SubmitAsync("/activate", Form(letter.NationalId, "AAAA-BBBB-CCDD"));
        Assert.Contains(Refused, sixth.Body, StringComparison.Ordinal);
        var right = await client.SubmitAsync("/activate", Form(letter.NationalId, letter.ActivationCode));

        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.Contains(Refused, right.Body, StringComparison.Ordinal);
        var reasons = (await hub.EventsAsync(letter.NationalId)).Where(e => e.Type == "auth.activation.refused").Select(e => e.Details).ToList();
        Assert.Equal(4, reasons.Count(r => r.Contains("\"wrong-code\"", StringComparison.Ordinal)));
        Assert.Single(reasons, r => r.Contains("\"wrong-code-locked\"", StringComparison.Ordinal));
        Assert.Equal(2, reasons.Count(r => r.Contains("\"locked\"", StringComparison.Ordinal)));
        await using var scope = hub.App.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<HubDbContext>().Users.AnyAsync(u => u.UserName == letter.NationalId));
    }

    [Fact]
    public async Task An_expired_code_is_refused()
    {
        var letter = await hub.IssueCitizenAsync();
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<HubDbContext>().Eids.Where(e => e.DocumentNumber == letter.DocumentNumber)
                .ExecuteUpdateAsync(u => u.SetProperty(e => e.ActivationCodeExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }

        using var client = new HubWebClient(hub.BaseAddress);
        var answer = await client.SubmitAsync("/activate", Form(letter.NationalId, letter.ActivationCode));

        Assert.Contains(Refused, answer.Body, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"expired\"", await hub.LastAsync(letter.NationalId, "auth.activation.refused"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_national_id_gets_the_same_answer_as_a_wrong_code()
    {
        var letter = await hub.IssueCitizenAsync();
        using var client = new HubWebClient(hub.BaseAddress);
        var unknownId = IdentityHub.Core.Identity.NationalId.NewId().Value;

        var unknown = await client.SubmitAsync("/activate", Form(unknownId, letter.ActivationCode));
        var wrong = await client.SubmitAsync("/activate", Form(letter.NationalId, "AAAA-BBBB-CCCC"));

        Assert.Contains(Refused, unknown.Body, StringComparison.Ordinal);
        Assert.Contains(Refused, wrong.Body, StringComparison.Ordinal);
    }
}
