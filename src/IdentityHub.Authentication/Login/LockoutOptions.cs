namespace IdentityHub.Authentication.Login;

/// <summary>
/// Account lock-out (configuration section Authentication:Lockout). NIST SP 800-63B §5.2.2 asks for throttling that
/// allows no more than 100 failed attempts per account before other measures; here every
/// <see cref="MaxFailedAttempts"/> failures (wrong password, TOTP or recovery code) lock the account, each lock-out
/// twice as long as the one before, from <see cref="FirstLockout"/> up to <see cref="LongestLockout"/>; a successful
/// sign-in starts the count again. While locked, no password is even checked.
/// </summary>
public sealed class LockoutOptions
{
    public const string SectionName = "Authentication:Lockout";

    public int MaxFailedAttempts { get; set; } = 5;

    public TimeSpan FirstLockout { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan LongestLockout { get; set; } = TimeSpan.FromHours(24);

    internal string? Validate() =>
        MaxFailedAttempts is < 1 or > 100 ? $"{SectionName}:MaxFailedAttempts must be between 1 and 100."
        : FirstLockout <= TimeSpan.Zero || LongestLockout < FirstLockout ? $"{SectionName}: FirstLockout must be positive and LongestLockout at least as long."
        : null;

    /// <summary>The length of the lock-out that follows <paramref name="episodesBefore"/> earlier ones.</summary>
    internal TimeSpan LockoutAfter(int episodesBefore)
    {
        var factor = Math.Pow(2, Math.Min(episodesBefore, 30));
        var ticks = Math.Min(FirstLockout.Ticks * factor, LongestLockout.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
