namespace IdentityHub.Authentication.Sessions;

/// <summary>Who a session is for: the citizen portal or the officer console (different cookies, lifetimes and pages).</summary>
public static class SessionAudiences
{
    public const string Citizen = "citizen";
    public const string Staff = "staff";

    /// <summary>An officer signed in on a counter device for the enrolment API: staff lifetimes, bound to the device.</summary>
    public const string Counter = "counter";
}

/// <summary>
/// Session lifetimes (configuration section Authentication:Sessions). OWASP's Session Management Cheat Sheet: idle
/// timeouts of 15-30 minutes and an absolute timeout for every session; the officer console, where a session reaches
/// every citizen's record, gets the shorter pair.
/// </summary>
public sealed class SessionOptions
{
    public const string SectionName = "Authentication:Sessions";

    public TimeSpan CitizenIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    public TimeSpan CitizenAbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    public TimeSpan StaffIdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan StaffAbsoluteLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How often a request moves the session's last-seen time (not on every request: one write a minute at most).</summary>
    public TimeSpan TouchInterval { get; set; } = TimeSpan.FromMinutes(1);

    internal TimeSpan IdleTimeout(string audience) => audience == SessionAudiences.Citizen ? CitizenIdleTimeout : StaffIdleTimeout;

    internal TimeSpan AbsoluteLifetime(string audience) => audience == SessionAudiences.Citizen ? CitizenAbsoluteLifetime : StaffAbsoluteLifetime;

    internal string? Validate() =>
        new[] { CitizenIdleTimeout, CitizenAbsoluteLifetime, StaffIdleTimeout, StaffAbsoluteLifetime }.Any(t => t <= TimeSpan.Zero)
            ? $"{SectionName}: every timeout must be positive."
            : TouchInterval >= StaffIdleTimeout || TouchInterval >= CitizenIdleTimeout ? $"{SectionName}:TouchInterval must be shorter than the idle timeouts." : null;
}
