using IdentityHub.Authentication.Diagnostics;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Core.Audit;
using IdentityHub.Core.Identity;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Registry;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Authentication.Activation;

public enum ActivationError
{
    None,

    /// <summary>
    /// Every refusal: no active eID for that national id, no letter, a code used already, locked, expired or wrong. One
    /// answer for all, so the page does not tell whether a national id has an account or a letter, or what state the
    /// letter is in; the audit event auth.activation.refused says which it was.
    /// </summary>
    Refused,
}

public sealed record ActivationStart(ActivationError Error, HubAccount? Account = null)
{
    public bool Succeeded => Error == ActivationError.None;
}

/// <summary>
/// Activation of an eID by its holder with the one-time code from the letter (Enrolment prints it; only its hash is
/// stored). The code works once, until it expires, and is locked after <see cref="MaxAttempts"/> wrong tries. A try is
/// counted before its code is compared, in the UPDATE that checks the limit, so guesses made together get no more
/// comparisons than tries were left. A right code opens the citizen's account (created, or — after a
/// new letter for a replacement eID — emptied of its old password, authenticators and sessions); choosing a password
/// completes the eID's activation, and the first login then asks for a second factor.
/// </summary>
public sealed class CitizenActivation(
    HubDbContext db, UserManager<HubAccount> users, HubSessions sessions, AuditLog audit, TimeProvider time, ILogger<CitizenActivation> logger)
{
    public const int MaxAttempts = 5;

    public async Task<ActivationStart> StartAsync(string nationalIdInput, string code, CancellationToken ct)
    {
        if (!NationalId.TryParse(nationalIdInput, out var nationalId, out _))
        {
            return new ActivationStart(ActivationError.Refused);
        }

        var id = nationalId.Value.Value;
        var person = await db.Persons.AsNoTracking().FirstOrDefaultAsync(p => p.NationalId == id, ct);
        var eid = person is null ? null : await db.Eids.AsNoTracking()
            .Where(e => e.PersonId == person.Id && e.Status == EidStatus.Active).OrderByDescending(e => e.IssuedAt).FirstOrDefaultAsync(ct);
        var now = time.GetUtcNow();
        if (person is null || eid is null)
        {
            return await RefusedAsync(id, "no-active-eid", ct);
        }

        if (eid.ActivationCodeHash is null)
        {
            var used = eid.ActivatedAt is not null || await db.Users.AnyAsync(u => u.PersonId == person.Id, ct);
            return await RefusedAsync(id, used ? "code-used" : "no-letter", ct);
        }

        if (eid.ActivationFailedAttempts >= MaxAttempts)
        {
            return await RefusedAsync(id, "locked", ct);
        }

        if (eid.ActivationCodeExpiresAt is { } expires && expires <= now)
        {
            return await RefusedAsync(id, "expired", ct);
        }

        // The try is counted before the code is compared, in the statement that checks the limit (and that this letter's
        // code is still the one to guess): of a burst of guesses, no more are compared than tries were left.
        var hash = eid.ActivationCodeHash;
        var reserved = await db.Database.SqlQuery<int>($"""
            UPDATE registry.eids SET "ActivationFailedAttempts" = "ActivationFailedAttempts" + 1
            WHERE "Id" = {eid.Id} AND "ActivationFailedAttempts" < {MaxAttempts} AND "ActivationCodeHash" = {hash}
            RETURNING "ActivationFailedAttempts" AS "Value"
            """).ToListAsync(ct);
        if (reserved is not [var count])
        {
            var spentMeanwhile = !await db.Eids.AnyAsync(e => e.Id == eid.Id && e.ActivationCodeHash == hash, ct);
            return await RefusedAsync(id, spentMeanwhile ? "code-used" : "locked", ct);
        }

        if (!ActivationCodes.Matches(eid.Id, code ?? "", hash))
        {
            return await RefusedAsync(id, count >= MaxAttempts ? "wrong-code-locked" : "wrong-code", ct);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Spend the code, and give back the try it took: only the request that clears this very hash goes on (two
        // racing with the right code: one wins).
        var spent = await db.Eids.Where(e => e.Id == eid.Id && e.ActivationCodeHash == hash)
            .ExecuteUpdateAsync(u => u.SetProperty(e => e.ActivationCodeHash, (byte[]?)null)
                .SetProperty(e => e.ActivationFailedAttempts, e => e.ActivationFailedAttempts - 1), ct);
        if (spent != 1)
        {
            return await RefusedAsync(id, "code-used", ct);
        }

        var account = await db.Users.FirstOrDefaultAsync(u => u.PersonId == person.Id, ct);
        var displayName = $"{person.GivenNames} {person.Surname}";
        if (account is null)
        {
            account = new HubAccount
            {
                Id = Guid.CreateVersion7(now),
                UserName = id,
                DisplayName = displayName.Length > 200 ? displayName[..200] : displayName,
                Kind = AccountKind.Citizen,
                PersonId = person.Id,
                CreatedAt = now,
                LockoutEnabled = true,
            };
            var created = await users.CreateAsync(account);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException("The citizen account could not be created: " + string.Join(" ", created.Errors.Select(e => e.Code)));
            }
        }
        else
        {
            // A new letter: whoever holds it sets the account up again; nothing of the old credentials survives.
            await db.TotpAuthenticators.Where(t => t.AccountId == account.Id).ExecuteDeleteAsync(ct);
            await db.PasskeyDetails.Where(t => t.AccountId == account.Id).ExecuteDeleteAsync(ct);
            await db.UserPasskeys.Where(t => t.UserId == account.Id).ExecuteDeleteAsync(ct);
            await db.RecoveryCodes.Where(t => t.AccountId == account.Id).ExecuteDeleteAsync(ct);
            await sessions.EndAllAsync(account.Id, "reactivated", ct);
            account.PasswordHash = null;
            account.ActivatedAt = null;
            account.AccessFailedCount = 0;
            account.LockoutEpisodes = 0;
            account.LockoutEnd = null;
            await users.UpdateSecurityStampAsync(account);
        }

        await audit.AppendAsync(new AuditEvent("auth.activation.code-accepted", id, id, new Dictionary<string, string> { ["eid"] = eid.DocumentNumber }), ct);
        await transaction.CommitAsync(ct);
        return new ActivationStart(ActivationError.None, account);
    }

    /// <summary>Sets the first password; the eID counts as activated from now on. Errors are Identity's validator messages.</summary>
    public async Task<IReadOnlyList<string>> SetPasswordAsync(Guid accountId, string password, CancellationToken ct)
    {
        var account = await users.FindByIdAsync(accountId.ToString());
        if (account is null || account.Kind != AccountKind.Citizen || account.PasswordHash is not null)
        {
            return ["This activation is no longer open. Start again with your activation letter."];
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var added = await users.AddPasswordAsync(account, password);
        if (!added.Succeeded)
        {
            return added.Errors.Select(e => e.Description).ToList();
        }

        var now = time.GetUtcNow();
        account.ActivatedAt = now;
        await users.UpdateAsync(account);
        var eid = await db.Eids.Where(e => e.PersonId == account.PersonId && e.Status == EidStatus.Active).OrderByDescending(e => e.IssuedAt).FirstAsync(ct);
        eid.ActivatedAt = now;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEvent("auth.activation.completed", account.UserName!, account.UserName!,
            new Dictionary<string, string> { ["eid"] = eid.DocumentNumber }), ct);
        await transaction.CommitAsync(ct);
        logger.Activated(eid.DocumentNumber);
        return [];
    }

    private async Task<ActivationStart> RefusedAsync(string nationalId, string reason, CancellationToken ct)
    {
        await audit.AppendAsync(new AuditEvent("auth.activation.refused", "anonymous", nationalId, new Dictionary<string, string> { ["reason"] = reason }), ct);
        logger.ActivationRefused(reason);
        return new ActivationStart(ActivationError.Refused);
    }
}
