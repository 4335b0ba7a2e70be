using System.Security.Cryptography;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Signing;
using IdentityHub.Signing.Signers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityHub.Signing.Activation;

/// <summary>
/// Signature activation under the citizen's sole control (CEN EN 419 241-1, SCAL2): a caller prepares an activation for
/// exactly the hashes the citizen will be shown, the citizen confirms it with a second factor bound to those hashes
/// (<see cref="ActivationConfirmations"/>), and a signer consumes it once (<see cref="ConsumeAsync"/>), only until it
/// expires, only for that citizen, that key and those hashes. The portal, the agency API and the CSC API all go through
/// here; the key itself is reached only through <see cref="SignatureGate"/>.
/// </summary>
public sealed class SignatureActivations(
    HubDbContext db,
    CitizenSigners signers,
    AuditLog audit,
    TimeProvider time,
    IOptions<SigningOptions> options,
    ILogger<SignatureActivations> logger)
{
    public async Task<PrepareOutcome> PrepareAsync(ActivationRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var length = ActivationHashes.LengthOf(request.HashAlgorithmOid);
        if (length == 0)
        {
            return new PrepareOutcome(ActivationError.UnsupportedHashAlgorithm, null);
        }

        var documents = request.Documents ?? [];
        if (documents.Count == 0 || documents.Count > options.Value.MaxBatchDocuments
            || documents.Any(d => d is null || string.IsNullOrWhiteSpace(d.Name) || d.Name.Length > 300 || d.Size < 0 || d.Hash is null || d.Hash.Length != length))
        {
            return new PrepareOutcome(ActivationError.InvalidDocuments, null);
        }

        var account = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == request.AccountId && u.Kind == AccountKind.Citizen && u.DisabledAt == null, ct);
        if (account?.PersonId is not { } personId || await signers.FindAsync(personId, ct) is not { } credential)
        {
            return new PrepareOutcome(ActivationError.NoCredential, null);
        }

        var now = time.GetUtcNow();
        var hashes = documents.Select(d => d.Hash).ToList();
        var nonce = RandomNumberGenerator.GetBytes(32);
        var row = new SignatureActivationRecord
        {
            Id = Guid.CreateVersion7(now),
            AccountId = account.Id,
            PersonId = personId,
            KeyId = credential.KeyId,
            CertificateIssuer = credential.CertificateIssuer,
            CertificateSerial = credential.CertificateSerial,
            HashAlgorithm = request.HashAlgorithmOid,
            Documents = ActivationDocuments.Write([.. documents.Select(d => d with { Name = d.Name.Trim() })]),
            HashesDigest = ActivationHashes.Digest(hashes),
            Nonce = nonce,
            Challenge = ActivationHashes.Challenge(credential.KeyId, nonce, request.HashAlgorithmOid, hashes),
            State = SignatureActivationStates.Prepared,
            ClientId = Trimmed(request.ClientId, 100),
            ClientAddress = Trimmed(request.ClientAddress, 64),
            CreatedAt = now,
            ExpiresAt = now + options.Value.ActivationLifetime,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.SignatureActivations.Add(row);
        await db.SaveChangesAsync(ct);
        db.Entry(row).State = EntityState.Detached;
        await ActivationAudit.AppendAsync(audit, ActivationAudit.Prepared, account.UserName!, account.UserName!, row, ct);
        await transaction.CommitAsync(ct);
        logger.ActivationPrepared(row.Id, documents.Count, row.ClientId ?? "-");
        return new PrepareOutcome(ActivationError.None, ToPrepared(row));
    }

    /// <summary>The citizen's own activation, for the confirmation page; null for anyone else's or an unknown id.</summary>
    public async Task<PreparedActivation?> FindAsync(Guid activationId, Guid accountId, CancellationToken ct)
    {
        var row = await db.SignatureActivations.AsNoTracking().FirstOrDefaultAsync(a => a.Id == activationId && a.AccountId == accountId, ct);
        return row is null ? null : ToPrepared(row);
    }

    /// <summary>
    /// Uses the activation, at most once: one conditional UPDATE moves it from activated to consumed only while it is
    /// unexpired and only for this account, this key and exactly these hashes (in order), so two hub nodes racing with
    /// one activation cannot both succeed. Otherwise refuses with a stable reason; both outcomes are audited.
    /// </summary>
    public Task<ConsumeOutcome> ConsumeAsync(Guid activationId, Guid accountId, string keyId, IReadOnlyList<byte[]> hashes, CancellationToken ct) =>
        ConsumeAsync(activationId, accountId, keyId, hashes, callerName: null, ct);

    /// <inheritdoc cref="ConsumeAsync(Guid, Guid, string, IReadOnlyList{byte[]}, CancellationToken)"/>
    /// <param name="callerName">The account's user name when the caller has it already (the audit's actor); read otherwise.</param>
    internal async Task<ConsumeOutcome> ConsumeAsync(
        Guid activationId, Guid accountId, string keyId, IReadOnlyList<byte[]> hashes, string? callerName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        ArgumentNullException.ThrowIfNull(hashes);
        var digest = ActivationHashes.Digest(hashes);
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // One statement decides and returns the row it used (nothing when any condition fails).
        var used = await db.SignatureActivations.FromSql($"""
            UPDATE signing.activations SET "State" = {SignatureActivationStates.Consumed}, "ConsumedAt" = {now}
            WHERE "Id" = {activationId} AND "State" = {SignatureActivationStates.Activated} AND "ExpiresAt" > {now}
              AND "AccountId" = {accountId} AND "KeyId" = {keyId} AND "HashesDigest" = {digest}
            RETURNING *
            """).AsNoTracking().ToListAsync(ct);
        var row = used.Count == 1 ? used[0] : await db.SignatureActivations.AsNoTracking().FirstOrDefaultAsync(a => a.Id == activationId, ct);
        var caller = callerName ?? await UserNameAsync(accountId, ct);
        if (used.Count == 1 && row is not null)
        {
            await ActivationAudit.AppendAsync(audit, ActivationAudit.Consumed, caller, caller, row, ct);
            await transaction.CommitAsync(ct);
            logger.ActivationConsumed(activationId);
            return new ConsumeOutcome(ConsumeRefusal.None);
        }

        var refusal = row is null ? ConsumeRefusal.NotActivated
            // Someone else's activation says nothing about its state to the caller.
            : row.AccountId != accountId ? ConsumeRefusal.OtherCitizen
            : row.State == SignatureActivationStates.Consumed ? ConsumeRefusal.AlreadyUsed
            : row.State != SignatureActivationStates.Activated ? ConsumeRefusal.NotActivated
            : row.ExpiresAt <= now ? ConsumeRefusal.Expired
            : !string.Equals(row.KeyId, keyId, StringComparison.Ordinal) ? ConsumeRefusal.OtherKey
            : ConsumeRefusal.OtherHashes;
        if (row is not null)
        {
            var owner = row.AccountId == accountId ? caller : await UserNameAsync(row.AccountId, ct);
            await ActivationAudit.AppendAsync(audit, ActivationAudit.Refused, caller, owner, row, ct,
                ("step", "consume"), ("reason", refusal.Code()), ("presentedHashes", string.Join(' ', hashes.Select(h => Convert.ToHexStringLower(h ?? [])))));
        }
        else
        {
            await audit.AppendAsync(new Core.Audit.AuditEvent(ActivationAudit.Refused, caller, caller, new Dictionary<string, string>
            {
                ["activation"] = activationId.ToString(),
                ["step"] = "consume",
                ["reason"] = refusal.Code(),
                ["keyId"] = keyId,
                ["presentedHashes"] = string.Join(' ', hashes.Select(h => Convert.ToHexStringLower(h ?? []))),
            }), ct);
        }

        await transaction.CommitAsync(ct);
        logger.ActivationRefused(activationId, "consume", refusal.Code());
        return new ConsumeOutcome(refusal);
    }

    internal static PreparedActivation ToPrepared(SignatureActivationRecord row) =>
        new(row.Id, row.AccountId, row.KeyId, row.CertificateIssuer, row.CertificateSerial, row.HashAlgorithm, ActivationDocuments.Read(row.Documents),
            row.Challenge, row.State, row.ClientId, row.ExpiresAt);

    private async Task<string> UserNameAsync(Guid accountId, CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.Id == accountId).Select(u => u.UserName).FirstOrDefaultAsync(ct) ?? accountId.ToString();

    private static string? Trimmed(string? value, int max)
    {
        var text = value?.Trim();
        return string.IsNullOrEmpty(text) ? null : text.Length > max ? text[..max] : text;
    }
}
