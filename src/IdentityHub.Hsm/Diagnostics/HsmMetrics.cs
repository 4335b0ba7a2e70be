using System.Diagnostics.Metrics;

namespace IdentityHub.Hsm.Diagnostics;

/// <summary>The HSM's meter ("IdentityHub.Hsm").</summary>
internal static class HsmMetrics
{
    public const string MeterName = "IdentityHub.Hsm";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> SignOperations = Meter.CreateCounter<long>("hsm.sign.operations", description: "Signatures made in the token, by key algorithm.");
    public static readonly Histogram<double> SignDuration = Meter.CreateHistogram<double>("hsm.sign.duration", unit: "ms", description: "Time to rent a session and sign.");
    public static readonly Counter<long> KeyGenerations = Meter.CreateCounter<long>("hsm.keygen.operations", description: "Key pairs generated in the token.");
}
