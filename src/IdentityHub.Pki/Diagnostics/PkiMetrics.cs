using System.Diagnostics.Metrics;

namespace IdentityHub.Pki.Diagnostics;

/// <summary>The PKI's meter ("IdentityHub.Pki"); exported by the host through OpenTelemetry.</summary>
internal static class PkiMetrics
{
    public const string MeterName = "IdentityHub.Pki";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> CertificatesIssued = Meter.CreateCounter<long>("pki.certificates.issued", description: "Certificates issued, by profile.");
    public static readonly Counter<long> CertificatesRevoked = Meter.CreateCounter<long>("pki.certificates.revoked", description: "Certificates revoked, by reason.");
    public static readonly Counter<long> CrlsSigned = Meter.CreateCounter<long>("pki.crl.signed", description: "CRLs signed, by CA.");
    public static readonly Counter<long> OcspResponses = Meter.CreateCounter<long>("pki.ocsp.responses", description: "OCSP responses, by certificate status or error.");
    public static readonly Counter<long> TimeStamps = Meter.CreateCounter<long>("pki.tsa.responses", description: "Time-stamp responses, granted or rejected.");
}
