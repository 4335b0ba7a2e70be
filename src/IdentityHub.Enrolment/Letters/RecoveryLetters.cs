using IdentityHub.Core.Audit;
using IdentityHub.Core.Identity;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Registry;
using IdentityHub.Enrolment.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IdentityHub.Enrolment.Letters;

/// <summary>What a recovery letter prints; <see cref="PostalAddress"/> is set for a letter sent by post.</summary>
public sealed record RecoveryLetterContent(
    Guid LetterId, string GivenNames, string Surname, string NationalId, string Code, DateTimeOffset CodeExpiresAt,
    DateTimeOffset PrintedAt, string PrintedBy, string? PostalAddress);

/// <summary>
/// Issues account recovery letters (docs/authentication.md, "Recovery"): at a counter, by an officer whose service
/// points cover the person and who confirms they checked the identity document; or, asked for anonymously on the
/// citizen pages, queued and then printed by the operator (`hubctl recovery-letters print`) to the registered postal
/// address. A code exists in clear only in the letter; the hub keeps its hash, bound to the letter
/// (<see cref="LetterCodes.AccountRecovery"/>). Of an account's printed letters only the newest works (the citizen
/// side, IdentityHub.Authentication's AccountRecovery, looks at that one alone); a counter letter also drops a posted
/// letter still waiting to be printed, which would otherwise replace it later.
/// </summary>
public sealed class RecoveryLetters(HubDbContext db, AuditLog audit, TimeProvider time, IOptions<EnrolmentOptions> options)
{
    public const string Counter = "counter";
    public const string Post = "post";
    public const string PrintedEvent = "recovery.letter.printed";
    public const string RequestedEvent = "recovery.letter.requested";

    /// <summary>The notice the citizen finds on their account page when a letter was printed for them.</summary>
    public const string PrintedNotice = "recovery-letter-printed";

    public Task<Outcome<RecoveryLetterContent>> PrintAtCounterAsync(Guid personId, bool identityChecked, StaffActor actor, CancellationToken ct) =>
        PrintAtCounterAsync(q => q.Where(p => p.Id == personId), personId.ToString(), identityChecked, actor, ct);

    public Task<Outcome<RecoveryLetterContent>> PrintAtCounterAsync(string nationalId, bool identityChecked, StaffActor actor, CancellationToken ct) =>
        PrintAtCounterAsync(q => q.Where(p => p.NationalId == (nationalId ?? "").Trim()), nationalId, identityChecked, actor, ct);

    /// <summary>
    /// A citizen's anonymous request for a letter by post. Nothing is returned, whatever happened: the page answers the
    /// same whether or not the national identifier has an account and an address (the audit event says which). At most
    /// one letter waits per account, and at most <see cref="EnrolmentOptions.PostedRecoveryLettersPer30Days"/> are posted.
    /// </summary>
    public async Task RequestByPostAsync(string? nationalIdInput, CancellationToken ct)
    {
        if (!NationalId.TryParse(nationalIdInput, out var parsed, out _))
        {
            return;
        }

        var id = parsed.Value.Value;
        var now = time.GetUtcNow();
        var found = await (from p in db.Persons.AsNoTracking()
                           join a in db.Users.AsNoTracking() on p.Id equals a.PersonId
                           where p.NationalId == id && a.Kind == AccountKind.Citizen
                           select new { AccountId = a.Id, p.PostalAddress }).FirstOrDefaultAsync(ct);
        string outcome;
        if (found is null)
        {
            outcome = "no-account";
        }
        else if (string.IsNullOrWhiteSpace(found.PostalAddress))
        {
            outcome = "no-address";
        }
        else if (await db.RecoveryLetters.CountAsync(l => l.AccountId == found.AccountId && l.Delivery == Post && l.CreatedAt > now.AddDays(-30), ct)
            >= options.Value.PostedRecoveryLettersPer30Days)
        {
            outcome = "too-many";
        }
        else
        {
            db.RecoveryLetters.Add(new RecoveryLetterRecord
            {
                Id = Guid.CreateVersion7(now),
                AccountId = found.AccountId,
                // No code yet: it is made when the letter is printed, so it never exists outside the letter.
                CodeHash = [],
                CreatedAt = now,
                ExpiresAt = now + options.Value.RecoveryCodeLifetime,
                IssuedBy = "system",
                Channel = "web",
                Delivery = Post,
            });
            try
            {
                await db.SaveChangesAsync(ct);
                outcome = "queued";
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // One letter already waits for this account (the unique index holds across requests and nodes).
                outcome = "already-queued";
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }

        await audit.AppendAsync(new AuditEvent(RequestedEvent, "anonymous", id, new Dictionary<string, string> { ["outcome"] = outcome }), ct);
    }

    /// <summary>The letters asked for by post and not printed yet, oldest first.</summary>
    public Task<int> QueuedAsync(CancellationToken ct) => db.RecoveryLetters.CountAsync(l => l.PrintedAt == null, ct);

    /// <summary>
    /// Prints every queued letter: makes its code, hands the letter to <paramref name="deliver"/> (which writes the PDF)
    /// and only then records it printed, one letter per transaction, so a letter whose PDF could not be written stays
    /// queued with no code. A person who has no address any more gets no letter (the request is dropped and audited).
    /// </summary>
    public async Task<int> PrintQueuedAsync(string operatorName, Func<RecoveryLetterContent, CancellationToken, Task> deliver, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(deliver);
        var queued = await db.RecoveryLetters.AsNoTracking().Where(l => l.PrintedAt == null).OrderBy(l => l.CreatedAt).Select(l => l.Id).ToListAsync(ct);
        var printed = 0;
        foreach (var letterId in queued)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var letter = await db.RecoveryLetters.FromSql($"""SELECT * FROM accounts.recovery_letters WHERE "Id" = {letterId} AND "PrintedAt" IS NULL FOR UPDATE""")
                .SingleOrDefaultAsync(ct);
            if (letter is null)
            {
                continue;
            }

            var person = await (from a in db.Users join p in db.Persons on a.PersonId equals p.Id where a.Id == letter.AccountId select p).AsNoTracking().SingleAsync(ct);
            if (string.IsNullOrWhiteSpace(person.PostalAddress))
            {
                db.RecoveryLetters.Remove(letter);
                await db.SaveChangesAsync(ct);
                await audit.AppendAsync(new AuditEvent(RequestedEvent, operatorName, person.NationalId, new Dictionary<string, string> { ["outcome"] = "dropped-no-address" }), ct);
                await tx.CommitAsync(ct);
                continue;
            }

            var now = time.GetUtcNow();
            var code = LetterCodes.New();
            letter.CodeHash = LetterCodes.Hash(LetterCodes.AccountRecovery, letter.Id, code);
            letter.PrintedAt = now;
            letter.ExpiresAt = now + options.Value.RecoveryCodeLifetime;
            letter.IssuedBy = operatorName;
            letter.Channel = "hubctl";
            var content = new RecoveryLetterContent(letter.Id, person.GivenNames, person.Surname, person.NationalId, code, letter.ExpiresAt, now, "post", person.PostalAddress);
            await RecordPrintedAsync(letter, person.NationalId, new StaffActor(operatorName, new HashSet<string>(), "hubctl"), Post, "-", ct);
            await deliver(content, ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
            printed++;
        }

        return printed;
    }

    private async Task<Outcome<RecoveryLetterContent>> PrintAtCounterAsync(
        Func<IQueryable<PersonRecord>, IQueryable<PersonRecord>> which, string asked, bool identityChecked, StaffActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsOfficer)
        {
            return Outcome<RecoveryLetterContent>.Failure(EnrolmentErrors.Forbidden, "Only officers and supervisors print recovery letters.");
        }

        if (!identityChecked)
        {
            return Outcome<RecoveryLetterContent>.Failure(EnrolmentErrors.Validation,
                "Confirm that you checked the person's identity document: a recovery letter is handed over only to its holder.", "IdentityChecked");
        }

        var person = await which(db.Persons.AsNoTracking()).SingleOrDefaultAsync(ct);
        if (person is null)
        {
            return Outcome<RecoveryLetterContent>.Failure(EnrolmentErrors.NotFound, "No such person.");
        }

        if (!await RegistryScope.MayActOnPersonAsync(db, actor, person.Id, ct))
        {
            await RegistryScope.RefusedAsync(audit, actor, PrintedEvent, person.NationalId, ct);
            return Outcome<RecoveryLetterContent>.Failure(EnrolmentErrors.NotFound, "No such person.");
        }

        var accountId = await db.Users.Where(u => u.PersonId == person.Id && u.Kind == AccountKind.Citizen).Select(u => (Guid?)u.Id).SingleOrDefaultAsync(ct);
        if (accountId is not { } account)
        {
            return Outcome<RecoveryLetterContent>.Failure(EnrolmentErrors.InvalidState,
                "This person has no citizen account yet: their eID's activation letter sets one up, not a recovery letter.");
        }

        // The service points of this counter (or officer) that cover the person: where the identity was checked.
        var servicePoint = actor.ServicePoints is null ? "hubctl" : string.Join(' ', (await db.Enrolments.Where(e => e.PersonId == person.Id).Select(e => e.ServicePoint)
            .Concat(db.Eids.Where(e => e.PersonId == person.Id).Select(e => e.ServicePoint)).Distinct().ToListAsync(ct))
            .Where(actor.ServicePoints.Contains).Order(StringComparer.Ordinal));
        var now = time.GetUtcNow();
        var code = LetterCodes.New();
        var letter = new RecoveryLetterRecord
        {
            Id = Guid.CreateVersion7(now),
            AccountId = account,
            CodeHash = [],
            CreatedAt = now,
            PrintedAt = now,
            ExpiresAt = now + options.Value.RecoveryCodeLifetime,
            IssuedBy = actor.UserName,
            Channel = actor.Channel,
            Delivery = Counter,
        };
        letter.CodeHash = LetterCodes.Hash(LetterCodes.AccountRecovery, letter.Id, code);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // A posted letter still waiting would, once printed, replace the one handed over now.
        await db.RecoveryLetters.Where(l => l.AccountId == account && l.PrintedAt == null).ExecuteDeleteAsync(ct);
        db.RecoveryLetters.Add(letter);
        await RecordPrintedAsync(letter, person.NationalId, actor, Counter, servicePoint, ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return Outcome<RecoveryLetterContent>.Success(
            new RecoveryLetterContent(letter.Id, person.GivenNames, person.Surname, person.NationalId, code, letter.ExpiresAt, now, servicePoint, null));
    }

    /// <summary>Saves the printed letter with the holder's notice and the audit event, in the caller's transaction.</summary>
    private async Task RecordPrintedAsync(RecoveryLetterRecord letter, string nationalId, StaffActor actor, string delivery, string servicePoint, CancellationToken ct)
    {
        var superseded = await db.RecoveryLetters.CountAsync(l => l.AccountId == letter.AccountId && l.Id != letter.Id && l.PrintedAt != null && l.UsedAt == null, ct);
        AccountNotices.Add(db, letter.AccountId, PrintedNotice, letter.PrintedAt!.Value, new Dictionary<string, string> { ["delivery"] = delivery });
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEvent(PrintedEvent, actor.UserName, nationalId, new Dictionary<string, string>
        {
            ["channel"] = actor.Channel,
            ["delivery"] = delivery,
            ["servicePoint"] = servicePoint,
            ["identityChecked"] = delivery == Counter ? "yes" : "no",
            ["letter"] = letter.Id.ToString(),
            ["supersedes"] = superseded.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["expires"] = letter.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        }), ct);
    }
}
