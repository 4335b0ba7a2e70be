using IdentityHub.Hsm;
using IdentityHub.Pki;
using OpenTelemetry.Metrics;

namespace IdentityHub.Server.Hosting;

internal static class ObservabilityExtensions
{
    /// <summary>
    /// Structured console logs (format from Logging:Console:FormatterName: "json" in production, "simple" in development)
    /// and OpenTelemetry metrics of every library's meter; exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
    /// </summary>
    public static WebApplicationBuilder AddIdentityHubObservability(this WebApplicationBuilder builder)
    {
        var metrics = builder.Services.AddOpenTelemetry().WithMetrics(m =>
        {
            m.AddMeter(PkiServiceCollectionExtensions.MeterName, HsmServiceCollectionExtensions.MeterName, IdentityHub.Authentication.Diagnostics.AuthenticationMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel");
            if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            {
                m.AddOtlpExporter();
            }
        });
        _ = metrics;
        return builder;
    }
}
