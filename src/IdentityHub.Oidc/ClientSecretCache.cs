using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;

namespace IdentityHub.Oidc;

/// <summary>
/// Remembers, for a few minutes and in this process only, that a presented client secret matched a stored PBKDF2 hash,
/// so that a back-end asking for tokens again does not pay the PBKDF2 once per request (decision 0021). An entry is
/// an HMAC-SHA-256, under a key made at start and never stored, of the client id, the stored hash and the presented
/// secret: a new secret (a new hash) finds no entry, a wrong secret never makes one (failures are not remembered, so
/// guessing still costs a PBKDF2 per guess), and nothing here outlives the process or lets the secret be read back.
/// </summary>
internal sealed class ClientSecretCache(TimeProvider time)
{
    /// <summary>How long a verified secret is remembered.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>At most this many entries (one per client and secret in use); past it the cache starts afresh.</summary>
    public const int Capacity = 10_000;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _verified = new(StringComparer.Ordinal);

    public bool Contains(string entry) =>
        _verified.TryGetValue(entry, out var until) && until > time.GetUtcNow();

    public void Add(string entry)
    {
        if (_verified.Count >= Capacity)
        {
            _verified.Clear();
        }

        _verified[entry] = time.GetUtcNow() + Lifetime;
    }

    /// <summary>The entry for one client, its stored hash and a presented secret (each length-prefixed, so no two inputs collide).</summary>
    public string EntryFor(string clientId, string storedHash, string secret)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        Span<byte> length = stackalloc byte[4];
        foreach (var part in (ReadOnlySpan<string>)[clientId, storedHash, secret])
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            hmac.AppendData(length);
            hmac.AppendData(bytes);
            CryptographicOperations.ZeroMemory(bytes);
        }

        return Convert.ToBase64String(hmac.GetHashAndReset());
    }
}

/// <summary>
/// OpenIddict's application manager with <see cref="ClientSecretCache"/> in front of its client-secret check: the check
/// itself (client type, stored hash, PBKDF2, fixed-time comparison) is OpenIddict's, unchanged, and runs whenever the
/// cache has no entry for exactly this client, hash and secret.
/// </summary>
internal sealed class CachingApplicationManager<TApplication>(
    IOpenIddictApplicationCache<TApplication> cache,
    ILogger<OpenIddictApplicationManager<TApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<TApplication> store,
    ClientSecretCache secrets)
    : OpenIddictApplicationManager<TApplication>(cache, logger, options, store)
    where TApplication : class
{
    public override async ValueTask<bool> ValidateClientSecretAsync(TApplication application, string secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        if (string.IsNullOrEmpty(secret) || await Store.GetClientSecretAsync(application, cancellationToken) is not { Length: > 0 } stored
            || await Store.GetClientIdAsync(application, cancellationToken) is not { Length: > 0 } clientId
            || await HasClientTypeAsync(application, OpenIddictConstants.ClientTypes.Public, cancellationToken))
        {
            return await base.ValidateClientSecretAsync(application, secret, cancellationToken);
        }

        var entry = secrets.EntryFor(clientId, stored, secret);
        if (secrets.Contains(entry))
        {
            return true;
        }

        var valid = await base.ValidateClientSecretAsync(application, secret, cancellationToken);
        if (valid)
        {
            secrets.Add(entry);
        }

        return valid;
    }
}
