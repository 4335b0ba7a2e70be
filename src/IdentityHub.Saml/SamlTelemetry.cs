using System.Diagnostics;

namespace IdentityHub.Saml;

/// <summary>
/// The IdP's trace spans (OpenTelemetry through <see cref="ActivitySource"/>): where an answer's time goes between the
/// request and the form posted to the SP. Nothing is recorded unless a listener (an OpenTelemetry exporter,
/// <c>./hub bench saml</c>) subscribes.
/// </summary>
public static class SamlTelemetry
{
    public const string SourceName = "IdentityHub.Saml";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>A span named <paramref name="name"/> (e.g. "saml.answer.sign"), or null when nobody listens.</summary>
    internal static Activity? Start(string name) => Source.StartActivity(name, ActivityKind.Internal);
}
