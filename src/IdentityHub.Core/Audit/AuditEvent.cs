namespace IdentityHub.Core.Audit;

/// <summary>
/// A security-relevant event: what happened (<paramref name="Type"/>, dotted, e.g. "pki.certificate.revoked"), who did it,
/// to what, and details. Never a secret: no PIN, password, token or key material goes in here.
/// </summary>
public sealed record AuditEvent(string Type, string Actor, string Subject, IReadOnlyDictionary<string, string>? Details = null);
