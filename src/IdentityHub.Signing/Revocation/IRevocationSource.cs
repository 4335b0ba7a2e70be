namespace IdentityHub.Signing.Revocation;

/// <summary>
/// Revocation data for long-term validation (B-LT): DER OCSPResponse structures (RFC 6960 §4.2.1, the whole response
/// as PDF /DSS /OCSPs holds it) and DER CertificateLists (RFC 5280 §5).
/// </summary>
public sealed record RevocationData(IReadOnlyList<byte[]> OcspResponses, IReadOnlyList<byte[]> Crls)
{
    public static RevocationData Empty { get; } = new([], []);
}

/// <summary>Collects the revocation data that proves a certificate path was good when it was used.</summary>
public interface IRevocationSource
{
    /// <summary>
    /// For every certificate in <paramref name="path"/> (DER, end entity first, root last) that is not a trust anchor:
    /// an OCSP response when its issuer runs a responder, and its issuer's CRL. Fails when some certificate has neither.
    /// </summary>
    Task<RevocationData> CollectAsync(IReadOnlyList<byte[]> path, CancellationToken cancellationToken);
}
