using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.Authentication.Passkeys;

/// <summary>What taking a challenge back found.</summary>
public enum ChallengeLookup
{
    Found,

    /// <summary>Unknown, already answered, or for another account or ceremony: indistinguishable on purpose.</summary>
    Unknown,
    Expired,
}

/// <summary>
/// Ceremony state between "options" and "answer", in PostgreSQL: any node can finish what another began, and taking a
/// challenge deletes it, so an answer replayed (or a second answer to the same challenge) finds nothing.
/// </summary>
public sealed class WebAuthnChallenges(HubDbContext db, TimeProvider time, IOptions<PasskeyOptions> options)
{
    public const string Registration = "registration";
    public const string Assertion = "assertion";

    /// <summary>The ceremonies that require user verification are stored apart, so a challenge is finished only the way it was begun.</summary>
    public const string RegistrationVerified = "registration-uv";
    public const string AssertionVerified = "assertion-uv";

    public static string RegistrationFor(bool requireUserVerification) => requireUserVerification ? RegistrationVerified : Registration;

    public static string AssertionFor(bool requireUserVerification) => requireUserVerification ? AssertionVerified : Assertion;

    public async Task<Guid> StoreAsync(string ceremony, Guid? accountId, string state, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var record = new WebAuthnChallengeRecord
        {
            Id = Guid.CreateVersion7(now),
            Ceremony = ceremony,
            AccountId = accountId,
            State = state,
            CreatedAt = now,
            ExpiresAt = now + options.Value.ChallengeLifetime,
        };
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO accounts.webauthn_challenges ("Id", "Ceremony", "AccountId", "State", "CreatedAt", "ExpiresAt") VALUES ({record.Id}, {ceremony}, {accountId}, {state}, {now}, {record.ExpiresAt})""", ct);
        return record.Id;
    }

    /// <summary>Takes the challenge out (whatever the answer turns out to be): it can be used once.</summary>
    public async Task<(ChallengeLookup Result, string? State)> TakeAsync(Guid id, string ceremony, Guid? accountId, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<TakenChallenge>(
            $"""DELETE FROM accounts.webauthn_challenges WHERE "Id" = {id} RETURNING "Ceremony", "AccountId", "State", "ExpiresAt" """).ToListAsync(ct);
        if (rows is not [var taken] || taken.Ceremony != ceremony || taken.AccountId != accountId)
        {
            return (ChallengeLookup.Unknown, null);
        }

        return taken.ExpiresAt <= time.GetUtcNow() ? (ChallengeLookup.Expired, null) : (ChallengeLookup.Found, taken.State);
    }

    /// <summary>Deletes challenges nobody answered (called now and then; they are useless once expired).</summary>
    public Task<int> PurgeExpiredAsync(CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""DELETE FROM accounts.webauthn_challenges WHERE "ExpiresAt" < {time.GetUtcNow().AddHours(-1)}""", ct);

    private sealed class TakenChallenge
    {
        public string Ceremony { get; set; } = "";

        public Guid? AccountId { get; set; }

        public string State { get; set; } = "";

        public DateTimeOffset ExpiresAt { get; set; }
    }
}
