namespace IdentityHub.Signing.Validation;

/// <summary>
/// How one validation runs: extra trust anchors (DER certificates) beside the hub's roots and the configured
/// SigningOptions.TrustAnchorFiles, and the validation time (EN 319 102-1 §5.1.1: "current time" unless the driving
/// application gives another, e.g. to re-validate as of a past date). Null time means TimeProvider's now.
/// </summary>
public sealed record ValidationPolicy(IReadOnlyList<byte[]>? TrustAnchors = null, DateTimeOffset? ValidationTime = null);
