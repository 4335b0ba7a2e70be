using System.Globalization;
using IdentityHub.Core.Audit;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Signing;

namespace IdentityHub.Signing.Activation;

/// <summary>
/// The audit events of signature activation (issue 10 point 7): each carries the document hashes, the key id, the
/// certificate serial, the agency and the client address. Never the activation data: no TOTP code, no assertion, no SAD.
/// </summary>
internal static class ActivationAudit
{
    public const string Prepared = "signing.activation.prepared";
    public const string Confirmed = "signing.activation.confirmed";
    public const string Refused = "signing.activation.refused";
    public const string Consumed = "signing.activation.consumed";

    public static Task AppendAsync(AuditLog audit, string type, string actor, string subject, SignatureActivationRecord row, CancellationToken ct,
        params (string Key, string Value)[] extra)
    {
        var details = new Dictionary<string, string>
        {
            ["activation"] = row.Id.ToString(),
            ["keyId"] = row.KeyId,
            ["certificateIssuer"] = row.CertificateIssuer,
            ["certificateSerial"] = row.CertificateSerial,
            ["hashAlgorithm"] = row.HashAlgorithm,
            ["hashes"] = string.Join(' ', ActivationDocuments.Read(row.Documents).Select(d => Convert.ToHexStringLower(d.Hash))),
            ["documents"] = ActivationDocuments.Read(row.Documents).Count.ToString(CultureInfo.InvariantCulture),
            ["agency"] = row.ClientId ?? "",
            ["clientAddress"] = row.ClientAddress ?? "",
        };
        foreach (var (key, value) in extra)
        {
            details[key] = value;
        }

        return audit.AppendAsync(new AuditEvent(type, actor, subject, details), ct);
    }
}
