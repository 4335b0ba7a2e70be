namespace IdentityHub.Authentication.Sessions;

/// <summary>
/// How a logout is delivered to an agency without the citizen's browser (OpenID Connect back-channel logout tokens,
/// SAML LogoutRequests over SOAP): attempt n fails, the next is due after FirstRetryDelay × RetryFactor^(n-1), never
/// later than MaxRetryDelay; after MaxAttempts the hub gives up. The defaults give 5 s, 30 s, 3 min, 18 min, 1 h: an
/// agency's endpoint down for an hour still hears of the logout.
/// </summary>
public class BackChannelDeliveryOptions
{
    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts { get; set; } = 6;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public double RetryFactor { get; set; } = 6;

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// One attempt's whole HTTP exchange. Short: the agency only has to end its own session and answer; a slow endpoint
    /// must not hold a worker.
    /// </summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often each node looks for due deliveries, beyond being woken when its own node queues one.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>At most this many deliveries claimed in one round by one node.</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1, after attempt <paramref name="attempt"/> (from 1) failed.</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var seconds = FirstRetryDelay.TotalSeconds * Math.Pow(RetryFactor, Math.Max(0, attempt - 1));
        return seconds >= MaxRetryDelay.TotalSeconds ? MaxRetryDelay : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>What is wrong with these settings, naming the configuration <paramref name="section"/>; null when nothing is.</summary>
    public virtual string? Problem(string section) =>
        MaxAttempts < 1 ? $"{section}:MaxAttempts must be at least 1."
        : FirstRetryDelay <= TimeSpan.Zero || MaxRetryDelay < FirstRetryDelay ? $"{section}:FirstRetryDelay must be positive and at most MaxRetryDelay."
        : RetryFactor < 1 ? $"{section}:RetryFactor must be at least 1."
        : HttpTimeout <= TimeSpan.Zero || HttpTimeout > TimeSpan.FromMinutes(1) ? $"{section}:HttpTimeout must be between 0 and 1 minute."
        : PollInterval <= TimeSpan.Zero ? $"{section}:PollInterval must be positive."
        : BatchSize < 1 ? $"{section}:BatchSize must be at least 1."
        : null;
}
