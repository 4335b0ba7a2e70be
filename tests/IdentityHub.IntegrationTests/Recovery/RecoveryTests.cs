using System.Net;
using IdentityHub.Data.Registry;
using IdentityHub.IntegrationTests.Authentication;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.IntegrationTests.Recovery;

/// <summary>
/// /recover with a recovery letter's code (docs/authentication.md, "Recovery"): a new password, every second factor
/// gone, every session ended, the eID and its keys untouched; tries counted with the guess and locked after five; one
/// answer for every refusal; a code works once and only on the newest letter.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class RecoveryTests(HubFixture hub)
{
    [Fact]
    public async Task A_letter_resets_password_and_factors_ends_every_session_and_keeps_the_eid()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var nationalId = citizen.Letter.NationalId;
        Assert.Equal(HttpStatusCode.OK, (await citizen.Client.GetAsync("/account")).Status);
        var accountId = await hub.AccountIdAsync(nationalId);
        var keysBefore = await hub.DbAsync(db => db.EidKeys.AsNoTracking().Where(k => db.Eids.Any(e => e.Id == k.EidId && e.DocumentNumber == citizen.Letter.DocumentNumber))
            .OrderBy(k => k.Purpose).Select(k => new { k.CertificateSerial, k.WrappedPrivateKey }).ToListAsync());
        var eidBefore = await hub.DbAsync(db => db.Eids.AsNoTracking().SingleAsync(e => e.DocumentNumber == citizen.Letter.DocumentNumber));
        var code = await hub.PrintLetterAsync(nationalId);

        using var browser = new HubWebClient(hub.BaseAddress);
        var recovered = await browser.RecoverAsync(nationalId, code);

        // Signed in with the new password in a set-up session, sent to add a second factor.
        CitizenWeb.Expect(recovered, "/account/setup", "recovery");
        // The session of the old cookie ended with the others.
        var old = await citizen.Client.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, old.Status);
        Assert.StartsWith("/login", old.Location, StringComparison.Ordinal);
        Assert.Equal(0, await hub.DbAsync(db => db.TotpAuthenticators.CountAsync(t => t.AccountId == accountId)));
        Assert.Equal(0, await hub.DbAsync(db => db.UserPasskeys.CountAsync(t => t.UserId == accountId)));
        Assert.Equal(0, await hub.DbAsync(db => db.RecoveryCodes.CountAsync(t => t.AccountId == accountId)));
        Assert.Equal(1, await hub.DbAsync(db => db.Sessions.CountAsync(s => s.AccountId == accountId && s.EndedAt == null)));
        // The eID, its certificates and wrapped keys are as they were.
        var eidAfter = await hub.DbAsync(db => db.Eids.AsNoTracking().SingleAsync(e => e.DocumentNumber == citizen.Letter.DocumentNumber));
        Assert.Equal(EidStatus.Active, eidAfter.Status);
        Assert.Equal(eidBefore.ActivatedAt, eidAfter.ActivatedAt);
        var keysAfter = await hub.DbAsync(db => db.EidKeys.AsNoTracking().Where(k => k.EidId == eidAfter.Id)
            .OrderBy(k => k.Purpose).Select(k => new { k.CertificateSerial, k.WrappedPrivateKey }).ToListAsync());
        Assert.Equal(keysBefore.Select(k => k.CertificateSerial), keysAfter.Select(k => k.CertificateSerial));
        Assert.Equal(keysBefore.Select(k => Convert.ToBase64String(k.WrappedPrivateKey)), keysAfter.Select(k => Convert.ToBase64String(k.WrappedPrivateKey)));
        // The set-up session may bind a new app; the old password no longer signs in, the new one does.
        await CitizenWeb.AddTotpAsync(browser, "/account/totp", "New phone", -1);
        using var other = new HubWebClient(hub.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, (await other.PasswordAsync(nationalId, citizen.Password)).Status);
        CitizenWeb.Expect(await other.PasswordAsync(nationalId, RecoveryDriver.NewPassword), "/login/verify", "new password");
        // The citizen is told, and the audit log has it.
        var account = WebUtility.HtmlDecode((await browser.GetAsync("/account")).Body);
        Assert.Contains("Your account was recovered with a recovery letter", account, StringComparison.Ordinal);
        var completed = await hub.LastAsync(nationalId, "auth.recovery.completed");
        Assert.Contains("\"totpRemoved\":\"1\"", completed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_letter_and_every_refusal_reads_the_same()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var nationalId = citizen.Letter.NationalId;
        var code = await hub.PrintLetterAsync(nationalId);
        using var browser = new HubWebClient(hub.BaseAddress);

        for (var i = 0; i < 5; i++)
        {
            RecoveryDriver.Refused(await browser.RecoverAsync(nationalId, "AAAA-BBBB-CCC" + i));
        }

        RecoveryDriver.Refused(await browser.RecoverAsync(nationalId, code));
        RecoveryDriver.Refused(await browser.RecoverAsync(NationalIdWithoutAccount(), code));

        var reasons = (await hub.EventsAsync(nationalId)).Where(e => e.Type == "auth.recovery.refused").Select(e => e.Details).ToList();
        Assert.Equal(4, reasons.Count(r => r.Contains("\"wrong-code\"", StringComparison.Ordinal)));
        Assert.Single(reasons, r => r.Contains("\"wrong-code-locked\"", StringComparison.Ordinal));
        Assert.Single(reasons, r => r.Contains("\"locked\"", StringComparison.Ordinal));
        Assert.Null((await hub.LettersAsync(nationalId)).Single().UsedAt);
        // The password did not change.
        CitizenWeb.Expect(await browser.PasswordAsync(nationalId, citizen.Password), "/login/verify", "old password");
    }

    [Fact]
    public async Task After_four_wrong_codes_a_burst_with_the_right_one_gets_at_most_one_comparison_and_after_five_all_are_refused()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var nationalId = citizen.Letter.NationalId;
        var code = await hub.PrintLetterAsync(nationalId);
        using var browser = new HubWebClient(hub.BaseAddress);
        for (var i = 0; i < 4; i++)
        {
            RecoveryDriver.Refused(await browser.RecoverAsync(nationalId, "AAAA-BBBB-CCC" + i));
        }

        var burst = await BurstAsync(browser, Enumerable.Range(0, 9).Select(i => Form(nationalId, "DDDD-EEEE-FFF" + i)).Append(Form(nationalId, code)));

        var events = (await hub.EventsAsync(nationalId)).Where(e => e.Type.StartsWith("auth.recovery.", StringComparison.Ordinal)).Skip(4).ToList();
        var compared = events.Count(e => e.Type == "auth.recovery.completed" || e.Details.Contains("\"wrong-code", StringComparison.Ordinal));
        Assert.True(compared <= 1, $"{compared} codes of the burst were compared");
        // The rest were refused without a comparison: "locked", or "code-used" once the right code won the race.
        var completed = events.Any(e => e.Type == "auth.recovery.completed");
        var locked = events.Count(e => e.Details.Contains("\"locked\"", StringComparison.Ordinal));
        var used = events.Count(e => e.Details.Contains("\"code-used\"", StringComparison.Ordinal));
        Assert.Equal(10 - compared, locked + used);
        Assert.True(completed || used == 0, $"{used} requests were told the code was used, yet no recovery completed");
        Assert.Equal(10, burst.Length);

        if (!completed)
        {
            // The letter is locked now: a second burst with the right code changes nothing.
            var again = await BurstAsync(browser, Enumerable.Range(0, 5).Select(_ => Form(nationalId, code)));
            Assert.All(again, RecoveryDriver.Refused);
            Assert.Null((await hub.LettersAsync(nationalId)).Single().UsedAt);
            CitizenWeb.Expect(await browser.PasswordAsync(nationalId, citizen.Password), "/login/verify", "old password");
        }
    }

    [Fact]
    public async Task A_code_works_once()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var nationalId = citizen.Letter.NationalId;
        var code = await hub.PrintLetterAsync(nationalId);
        using var first = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await first.RecoverAsync(nationalId, code), "/account/setup", "recovery");

        using var second = new HubWebClient(hub.BaseAddress);
        RecoveryDriver.Refused(await second.RecoverAsync(nationalId, code, "another long passphrase for later"));

        Assert.Contains("\"code-used\"", await hub.LastAsync(nationalId, "auth.recovery.refused"), StringComparison.Ordinal);
        CitizenWeb.Expect(await second.PasswordAsync(nationalId, RecoveryDriver.NewPassword), "/account", "password from the first use");
    }

    [Fact]
    public async Task A_newer_letter_supersedes_an_older_unused_one()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var nationalId = citizen.Letter.NationalId;
        var older = await hub.PrintLetterAsync(nationalId);
        var newer = await hub.PrintLetterAsync(nationalId);
        using var browser = new HubWebClient(hub.BaseAddress);

        RecoveryDriver.Refused(await browser.RecoverAsync(nationalId, older));
        CitizenWeb.Expect(await browser.RecoverAsync(nationalId, newer), "/account/setup", "newer letter");

        var letters = await hub.LettersAsync(nationalId);
        Assert.Null(letters[0].UsedAt);
        Assert.NotNull(letters[1].UsedAt);
        Assert.Contains("\"supersedes\":\"1\"", await hub.LastAsync(nationalId, "recovery.letter.printed"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_letter_is_refused()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var nationalId = citizen.Letter.NationalId;
        var code = await hub.PrintLetterAsync(nationalId);
        var accountId = await hub.AccountIdAsync(nationalId);
        await hub.DbAsync(db => db.RecoveryLetters.Where(l => l.AccountId == accountId)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
        using var browser = new HubWebClient(hub.BaseAddress);

        RecoveryDriver.Refused(await browser.RecoverAsync(nationalId, code));

        Assert.Contains("\"expired\"", await hub.LastAsync(nationalId, "auth.recovery.refused"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_the_rules_refuse_costs_no_try_and_changes_nothing()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var nationalId = citizen.Letter.NationalId;
        var code = await hub.PrintLetterAsync(nationalId);
        using var browser = new HubWebClient(hub.BaseAddress);

        var weak = await browser.RecoverAsync(nationalId, code, "short");

        Assert.Equal(HttpStatusCode.OK, weak.Status);
        Assert.Contains("field-has-error", weak.Body, StringComparison.Ordinal);
        var letter = (await hub.LettersAsync(nationalId)).Single();
        Assert.Equal(0, letter.FailedAttempts);
        Assert.Null(letter.UsedAt);
        CitizenWeb.Expect(await browser.RecoverAsync(nationalId, code), "/account/setup", "then a good password");
    }

    [Fact]
    public async Task A_failure_inside_the_reset_leaves_nothing_half_written()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var nationalId = citizen.Letter.NationalId;
        var code = await hub.PrintLetterAsync(nationalId);
        var accountId = await hub.AccountIdAsync(nationalId);
        var trigger = "recovery_fault_" + Guid.NewGuid().ToString("N")[..8];
        // The notice is written after the factors are deleted and the sessions ended: failing it must undo them all.
        var create = $"""
            CREATE FUNCTION accounts.{trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$;
            CREATE TRIGGER {trigger} BEFORE INSERT ON accounts.notices FOR EACH ROW
              WHEN (NEW."AccountId" = '{accountId}' AND NEW."Kind" = 'account-recovered') EXECUTE FUNCTION accounts.{trigger}();
            """;
        // A trigger is schema: only the owner role may add it (the app role the hub runs as cannot, decision 0014).
        await hub.AsOwnerAsync(create);
        try
        {
            using var browser = new HubWebClient(hub.BaseAddress);
            var failed = await browser.RecoverAsync(nationalId, code);
            Assert.Equal(HttpStatusCode.InternalServerError, failed.Status);
        }
        finally
        {
            var drop = $"DROP TRIGGER {trigger} ON accounts.notices; DROP FUNCTION accounts.{trigger}();";
            await hub.AsOwnerAsync(drop);
        }

        Assert.Equal(1, await hub.DbAsync(db => db.TotpAuthenticators.CountAsync(t => t.AccountId == accountId)));
        Assert.Null((await hub.LettersAsync(nationalId)).Single().UsedAt);
        Assert.Equal(HttpStatusCode.OK, (await citizen.Client.GetAsync("/account")).Status);
        using var again = new HubWebClient(hub.BaseAddress);
        CitizenWeb.Expect(await again.PasswordAsync(nationalId, citizen.Password), "/login/verify", "old password");
    }

    private static Dictionary<string, string> Form(string nationalId, string code) => new()
    {
        ["NationalId"] = nationalId,
        ["Code"] = code,
        ["NewPassword"] = RecoveryDriver.NewPassword,
        ["ConfirmPassword"] = RecoveryDriver.NewPassword,
    };

    private static async Task<WebPage[]> BurstAsync(HubWebClient client, IEnumerable<Dictionary<string, string>> forms)
    {
        var token = HubWebClient.TokenOf((await client.GetAsync("/recover")).Body);
        return await Task.WhenAll(forms.Select(form => client.PostAsync("/recover", form, token)));
    }

    private static string NationalIdWithoutAccount() => Core.Identity.NationalId.NewId().Value;
}
