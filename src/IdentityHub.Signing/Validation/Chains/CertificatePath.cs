using Org.BouncyCastle.X509;

namespace IdentityHub.Signing.Validation.Chains;

/// <summary>A path built from a certificate towards a trust anchor: the certificate first; trusted when it ends at an anchor.</summary>
internal sealed record CertificatePath(IReadOnlyList<X509Certificate> Certificates, bool Trusted, string? Problem)
{
    public X509Certificate? IssuerOf(int index) => index + 1 < Certificates.Count ? Certificates[index + 1] : null;
}
