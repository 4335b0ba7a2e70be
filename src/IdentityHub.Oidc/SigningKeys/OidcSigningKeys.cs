using System.Globalization;
using IdentityHub.Core.Audit;
using IdentityHub.Core.Keys;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Oidc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.Oidc.SigningKeys;

/// <summary>A signing key as `hubctl oidc keys` lists it.</summary>
public sealed record OidcSigningKeyView(
    string Kid, string KeyAlgorithm, string Algorithms, int Generation, string State, DateTimeOffset CreatedAt,
    DateTimeOffset? ActivatedAt, DateTimeOffset? RetiredAt, DateTimeOffset? RemoveAfter);

/// <summary>What a rotation did, or why it was refused.</summary>
public sealed record SigningKeyRotation(string? Problem, IReadOnlyList<string> Promoted, IReadOnlyList<string> Retired, IReadOnlyList<string> Created, DateTimeOffset? RemoveAfter)
{
    public bool Succeeded => Problem is null;

    public static SigningKeyRotation Refused(string problem) => new(problem, [], [], [], null);
}

/// <summary>
/// The OpenID provider's signing keys in PostgreSQL (oidc.signing_keys) and the HSM (decision 0018). Each generation is
/// one P-256 key (ES256) and one RSA key (PS256, RS256), generated in the token as non-extractable objects. A rotation
/// promotes next → current, retires current until its grace ends and generates a new next; it is audited. Every change
/// holds one transaction-scoped advisory lock, so two nodes (or a node and hubctl) never rotate or create at once.
/// </summary>
public sealed class OidcSigningKeys(HubDbContext db, IKeyStore keys, AuditLog audit, TimeProvider time, IOptions<OidcOptions> options)
{
    /// <summary>Arbitrary constant naming the advisory lock of key creation and rotation.</summary>
    private const long RotationLock = 0x01DC_5167;

    private SigningKeyOptions Settings => options.Value.SigningKeys;

    /// <summary>Every key ever made, newest generation first, with its state as of now.</summary>
    public async Task<IReadOnlyList<OidcSigningKeyView>> ListAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var rows = await db.SigningKeys.AsNoTracking().ToListAsync(ct);
        return [.. rows.OrderByDescending(r => r.Generation).ThenBy(r => r.KeyAlgorithm, StringComparer.Ordinal).Select(r => View(r, now))];
    }

    /// <summary>Creates the first current and next keys when there are none (a new hub's first use); false when they exist.</summary>
    public async Task<bool> EnsureAsync(string actor, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({RotationLock})", ct);
        if (await db.SigningKeys.AnyAsync(ct))
        {
            return false;
        }

        var now = time.GetUtcNow();
        var current = Generate(1, SigningKeyStates.Current, now);
        var next = Generate(2, SigningKeyStates.Next, now);
        db.SigningKeys.AddRange([.. current, .. next]);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEvent("oidc.signing-keys.created", actor, "oidc signing keys", new Dictionary<string, string>
        {
            ["current"] = Kids(current),
            ["next"] = Kids(next),
        }), ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// next → current, current → retired (published until now + grace), and a new next generated in the HSM. Refused,
    /// unless forced, while the next key has been published for less than PublishBeforeUse. With no keys yet, creates the
    /// first current and next.
    /// </summary>
    public async Task<SigningKeyRotation> RotateAsync(string actor, bool force, CancellationToken ct)
    {
        if (Settings.Problem(options.Value) is { } problem)
        {
            return SigningKeyRotation.Refused(problem);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({RotationLock})", ct);
        var rows = await db.SigningKeys.Where(k => k.State != SigningKeyStates.Retired).ToListAsync(ct);
        var now = time.GetUtcNow();
        if (rows.Count == 0)
        {
            await tx.RollbackAsync(ct);
            return await EnsureAsync(actor, ct)
                ? new SigningKeyRotation(null, [], [], [.. (await ListAsync(ct)).Select(k => k.Kid)], null)
                : SigningKeyRotation.Refused("Another rotation created the first keys at the same time; run the command again.");
        }

        var current = rows.Where(k => k.State == SigningKeyStates.Current).ToList();
        var next = rows.Where(k => k.State == SigningKeyStates.Next).ToList();
        if (next.Count == 0)
        {
            return SigningKeyRotation.Refused("There is no next key to promote: the key set in oidc.signing_keys is damaged.");
        }

        var published = now - next.Min(k => k.CreatedAt);
        if (!force && published < Settings.PublishBeforeUse)
        {
            var ready = next.Min(k => k.CreatedAt) + Settings.PublishBeforeUse;
            return SigningKeyRotation.Refused(
                $"The next key has been published for {Round(published)} only; relying parties that cache the JWKS may not have it yet. " +
                $"Rotate after {ready.ToString("u", CultureInfo.InvariantCulture)} (Oidc:SigningKeys:PublishBeforeUse), or give --force (a compromised key).");
        }

        var removeAfter = now + Settings.Grace;
        foreach (var key in current)
        {
            key.State = SigningKeyStates.Retired;
            key.RetiredAt = now;
            key.RemoveAfter = removeAfter;
        }

        foreach (var key in next)
        {
            key.State = SigningKeyStates.Current;
            key.ActivatedAt = now;
        }

        var generation = await db.SigningKeys.MaxAsync(k => k.Generation, ct) + 1;
        var created = Generate(generation, SigningKeyStates.Next, now);
        db.SigningKeys.AddRange(created);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(new AuditEvent("oidc.signing-keys.rotated", actor, "oidc signing keys", new Dictionary<string, string>
        {
            ["current"] = Kids(next),
            ["retired"] = Kids(current),
            ["next"] = Kids(created),
            ["removeAfter"] = removeAfter.ToString("O", CultureInfo.InvariantCulture),
            ["forced"] = force && published < Settings.PublishBeforeUse ? "true" : "false",
        }), ct);
        await tx.CommitAsync(ct);
        return new SigningKeyRotation(null, [.. next.Select(k => k.Kid)], [.. current.Select(k => k.Kid)], [.. created.Select(k => k.Kid)], removeAfter);
    }

    /// <summary>One generation: a P-256 key for ES256 and an RSA key for PS256 and RS256, both made inside the HSM.</summary>
    private List<SigningKeyRecord> Generate(int generation, string state, DateTimeOffset now)
    {
        var rsa = Settings.RsaKeySize switch
        {
            2048 => KeyAlgorithm.Rsa2048,
            4096 => KeyAlgorithm.Rsa4096,
            _ => KeyAlgorithm.Rsa3072,
        };
        return [.. new[] { KeyAlgorithm.EcP256, rsa }.Select(algorithm =>
        {
            var key = keys.Generate($"oidc-signing-{generation}-{(algorithm.IsRsa() ? "rsa" : "ec")}", algorithm);
            return new SigningKeyRecord
            {
                Kid = PublicJwk.Of(key.SubjectPublicKeyInfo.Span, algorithm).Kid,
                KeyAlgorithm = algorithm.ToConfigName(),
                HsmKeyId = key.KeyId,
                Generation = generation,
                State = state,
                CreatedAt = now,
                ActivatedAt = state == SigningKeyStates.Current ? now : null,
            };
        })];
    }

    internal static string StateAt(SigningKeyRecord key, DateTimeOffset now) =>
        key.State == SigningKeyStates.Retired && key.RemoveAfter <= now ? SigningKeyStates.Removed : key.State;

    internal static string AlgorithmsOf(string keyAlgorithm) =>
        KeyAlgorithms.Parse(keyAlgorithm).IsRsa() ? $"{OidcSigningAlgorithms.PS256},{OidcSigningAlgorithms.RS256}" : OidcSigningAlgorithms.ES256;

    private static OidcSigningKeyView View(SigningKeyRecord r, DateTimeOffset now) =>
        new(r.Kid, r.KeyAlgorithm, AlgorithmsOf(r.KeyAlgorithm), r.Generation, StateAt(r, now), r.CreatedAt, r.ActivatedAt, r.RetiredAt, r.RemoveAfter);

    private static string Kids(IEnumerable<SigningKeyRecord> keys) => string.Join(' ', keys.Select(k => k.Kid));

    private static string Round(TimeSpan span) => span.TotalHours >= 1 ? $"{span.TotalHours:0.#} h" : $"{Math.Max(0, span.TotalMinutes):0} min";
}
