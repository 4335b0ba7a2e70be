using Org.BouncyCastle.X509;

namespace IdentityHub.Signing.Validation;

/// <summary>What the assessor judges against: the trust anchors, the validation time and the hub's own CAs (whose revocation data it can ask for).</summary>
internal sealed record AssessmentContext(IReadOnlyList<X509Certificate> Anchors, DateTimeOffset ValidationTime, IReadOnlyList<X509Certificate> HubAuthorities);
