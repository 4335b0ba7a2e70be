using Microsoft.Extensions.Options;

namespace IdentityHub.Authentication.Passwords;

/// <summary>
/// Admits at most <see cref="Argon2idOptions.MaxConcurrent"/> password hashes at a time in this process (one per core by
/// default). A login waits asynchronously for its turn, so a burst of sign-ins queues instead of multiplying Argon2id's
/// memory (m per hash) and fighting over the same cores, which makes every hash slower.
/// </summary>
public sealed class PasswordHashingGate : IDisposable
{
    private readonly SemaphoreSlim _slots;

    public PasswordHashingGate(IOptions<Argon2idOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configured = options.Value.MaxConcurrent;
        Slots = configured > 0 ? configured : Environment.ProcessorCount;
        _slots = new SemaphoreSlim(Slots, Slots);
    }

    public int Slots { get; }

    /// <summary>Runs <paramref name="hash"/> (which computes one or more Argon2id hashes) when a slot is free.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> hash, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(hash);
        await _slots.WaitAsync(ct);
        try
        {
            return await hash();
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
