using System.Collections.Concurrent;
using IdentityHub.Core.Keys;
using IdentityHub.Data;
using IdentityHub.Hsm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.Oidc.SigningKeys;

/// <summary>A key as this node publishes and uses it.</summary>
internal sealed record PublishedSigningKey(string Kid, KeyAlgorithm Algorithm, string State, JsonWebKey Jwk, AsymmetricSecurityKey Key, DateTimeOffset? RemoveAfter)
{
    public bool PublishedAt(DateTimeOffset now) => RemoveAfter is null || now < RemoveAfter;
}

/// <summary>The key set as read at <see cref="LoadedAt"/>: the current keys sign, every published one verifies.</summary>
internal sealed record SigningKeySnapshot(IReadOnlyList<PublishedSigningKey> Keys, DateTimeOffset LoadedAt)
{
    /// <summary>What the JWKS serves and what the hub itself accepts: current, next and retired keys within their grace.</summary>
    public IEnumerable<PublishedSigningKey> Published(DateTimeOffset now) => Keys.Where(k => k.PublishedAt(now));

    public SigningCredentials CredentialsFor(string algorithm)
    {
        var rsa = OidcSigningAlgorithms.IsRsa(algorithm);
        var key = Keys.FirstOrDefault(k => k.State == SigningKeyStates.Current && k.Algorithm.IsRsa() == rsa)
            ?? throw new InvalidOperationException($"The OpenID signing key set has no current {(rsa ? "RSA" : "EC")} key (oidc.signing_keys).");
        return new SigningCredentials(key.Key, algorithm);
    }
}

/// <summary>
/// Each node's view of oidc.signing_keys, bound to the HSM keys, kept in memory for Oidc:SigningKeys:Refresh and then read
/// again: a rotation made by hubctl or another node reaches every node within that time, without a restart. The first
/// read on a new hub creates the first current and next keys. Private keys stay in the HSM: a key here is an adapter
/// over the HSM seam (decision 0005).
/// </summary>
internal sealed class SigningKeySet(IServiceScopeFactory scopes, IKeyStore keyStore, TimeProvider time, IOptionsMonitor<OidcOptions> options, ILogger<SigningKeySet> log) : IDisposable
{
    private readonly SemaphoreSlim _loadLock = new(1, 1);
    private readonly ConcurrentDictionary<string, (AsymmetricSecurityKey Key, JsonWebKey Jwk)> _keys = new(StringComparer.Ordinal);
    private volatile SigningKeySnapshot? _snapshot;

    /// <summary>
    /// This node's own cache of signature providers. IdentityModel's default factory is process-wide and caches by the
    /// key's thumbprint and kid, so a second hub in the same process (tests run several nodes) would sign with a provider
    /// bound to the other node's HSM sessions, and fail once that node stops.
    /// </summary>
    private readonly CryptoProviderFactory _providers = new();

    /// <summary>The kids and states last logged; read and written under the load lock only.</summary>
    private string? _logged;

    private TimeSpan Refresh => options.CurrentValue.SigningKeys.Refresh;

    public async ValueTask<SigningKeySnapshot> GetAsync(CancellationToken ct)
    {
        var current = _snapshot;
        if (current is not null && time.GetUtcNow() - current.LoadedAt < Refresh)
        {
            return current;
        }

        await _loadLock.WaitAsync(ct);
        try
        {
            current = _snapshot;
            if (current is not null && time.GetUtcNow() - current.LoadedAt < Refresh)
            {
                return current;
            }

            current = await LoadAsync(ct);
            _snapshot = current;
            return current;
        }
        finally
        {
            _loadLock.Release();
        }
    }

    /// <summary>Forgets the cached key set, so the next use reads it again (after a rotation made in this process).</summary>
    public void Invalidate() => _snapshot = null;

    public void Dispose() => _loadLock.Dispose();

    private async Task<SigningKeySnapshot> LoadAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var now = time.GetUtcNow();
        var rows = await Published(db, now).ToListAsync(ct);
        if (!rows.Any(r => r.State == SigningKeyStates.Current))
        {
            // A new hub's first use: another node (or hubctl) may create them at the same moment; only the creator logs it.
            var created = await scope.ServiceProvider.GetRequiredService<OidcSigningKeys>().EnsureAsync("hub (first use)", ct);
            rows = await Published(db, now).ToListAsync(ct);
            if (created)
            {
                SigningKeyLog.Created(log, Kids(rows, SigningKeyStates.Current), Kids(rows, SigningKeyStates.Next));
            }
        }

        var keys = rows.OrderByDescending(r => r.Generation).Select(r =>
        {
            var algorithm = KeyAlgorithms.Parse(r.KeyAlgorithm);
            var (key, jwk) = _keys.GetOrAdd(r.Kid, _ => Bind(r.HsmKeyId, r.Kid, algorithm));
            return new PublishedSigningKey(r.Kid, algorithm, r.State, jwk, key, r.RemoveAfter);
        }).ToList();

        // Logged when this node first reads the set and after each change it sees (a rotation by hubctl or another node,
        // a retired key's grace ending), not on every refresh.
        var inUse = string.Join(' ', keys.Select(k => k.Kid + "/" + k.State).Order(StringComparer.Ordinal));
        if (!string.Equals(inUse, _logged, StringComparison.Ordinal))
        {
            SigningKeyLog.InUse(log, Kids(rows, SigningKeyStates.Current), string.Join(' ', keys.Select(k => k.Kid)));
            _logged = inUse;
        }

        return new SigningKeySnapshot(keys, now);

        static IQueryable<Data.Oidc.SigningKeyRecord> Published(HubDbContext db, DateTimeOffset now) =>
            db.SigningKeys.AsNoTracking().Where(k => k.State != SigningKeyStates.Retired || k.RemoveAfter > now);
    }

    private static string Kids(IEnumerable<Data.Oidc.SigningKeyRecord> rows, string state) =>
        string.Join(' ', rows.Where(r => r.State == state).Select(r => r.Kid));

    /// <summary>The HSM key behind a row, as IdentityModel signs with it, and its public JWK (kid as stored).</summary>
    private (AsymmetricSecurityKey Key, JsonWebKey Jwk) Bind(string hsmKeyId, string kid, KeyAlgorithm algorithm)
    {
        var key = keyStore.Find(hsmKeyId) ?? throw new InvalidOperationException(
            $"The HSM token (Hsm:TokenLabel) has no key {hsmKeyId} for OpenID signing key {kid}: the database and the token do not belong together.");
        AsymmetricSecurityKey security = algorithm.IsRsa()
            ? new RsaSecurityKey(key.AsRsa()) { KeyId = kid, CryptoProviderFactory = _providers }
            : new ECDsaSecurityKey(key.AsECDsa()) { KeyId = kid, CryptoProviderFactory = _providers };
        return (security, PublicJwk.Of(key.SubjectPublicKeyInfo.Span, algorithm, kid));
    }
}
