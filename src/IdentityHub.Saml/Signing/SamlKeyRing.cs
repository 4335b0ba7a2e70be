using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Saml.Signing;

/// <summary>
/// Each node's view of the IdP's current signing key, kept in memory for a few minutes (a key made by another node or
/// by hubctl is seen within that time); the first use on a new hub makes the key (<see cref="SamlSigningKeys.EnsureAsync"/>).
/// </summary>
internal sealed partial class SamlKeyRing(IServiceScopeFactory scopes, TimeProvider time, ILogger<SamlKeyRing> logger) : IDisposable
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private (SamlSigningKey Key, DateTimeOffset LoadedAt)? _current;

    public async ValueTask<SamlSigningKey> CurrentAsync(CancellationToken ct)
    {
        if (_current is { } cached && time.GetUtcNow() - cached.LoadedAt < Refresh)
        {
            return cached.Key;
        }

        await _lock.WaitAsync(ct);
        try
        {
            if (_current is { } again && time.GetUtcNow() - again.LoadedAt < Refresh)
            {
                return again.Key;
            }

            await using var scope = scopes.CreateAsyncScope();
            var keys = scope.ServiceProvider.GetRequiredService<SamlSigningKeys>();
            var key = await keys.CurrentAsync(ct);
            if (key is null)
            {
                if (await keys.EnsureAsync("hub (first use)", ct))
                {
                    KeyCreated(logger);
                }

                key = await keys.CurrentAsync(ct) ?? throw new InvalidOperationException("The SAML signing key could not be created (saml.signing_keys).");
            }

            _current = (key, time.GetUtcNow());
            return key;
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();

    [LoggerMessage(EventId = 7601, Level = LogLevel.Information, Message = "Created the SAML IdP's signing key in the HSM (first use).")]
    private static partial void KeyCreated(ILogger logger);
}
