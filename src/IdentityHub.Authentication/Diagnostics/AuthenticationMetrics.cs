using System.Diagnostics.Metrics;

namespace IdentityHub.Authentication.Diagnostics;

/// <summary>The authentication library's meter (exported by the host's OpenTelemetry set-up with the others).</summary>
public static class AuthenticationMetrics
{
    public const string MeterName = "IdentityHub.Authentication";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Argon2id verifications, real and decoy: one per password step whatever its outcome.</summary>
    public static readonly Counter<long> PasswordVerifications = Meter.CreateCounter<long>("identityhub.authentication.password.verifications", "{verification}",
        "Argon2id password verifications, including the decoy verification made when there is no real hash.");

    /// <summary>Completed logins and step-ups, tagged with audience and level.</summary>
    public static readonly Counter<long> Logins = Meter.CreateCounter<long>("identityhub.authentication.logins", "{login}", "Completed logins and step-ups.");

    /// <summary>Refused login steps, tagged with step and reason.</summary>
    public static readonly Counter<long> Refusals = Meter.CreateCounter<long>("identityhub.authentication.refusals", "{refusal}", "Refused login steps.");
}
