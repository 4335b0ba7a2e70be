using System.Diagnostics;

namespace IdentityHub.Signing;

/// <summary>
/// The signing service's trace spans (OpenTelemetry through <see cref="ActivitySource"/>): where a signature's time
/// goes between the request that asks for it and the database that keeps it. Nothing is recorded unless a listener
/// (an OpenTelemetry exporter, <c>./hub bench signing</c>) subscribes.
/// </summary>
public static class SigningTelemetry
{
    public const string SourceName = "IdentityHub.Signing";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>A span named <paramref name="name"/> (e.g. "signing.gate"), or null when nobody listens.</summary>
    internal static Activity? Start(string name) => Source.StartActivity(name, ActivityKind.Internal);
}
