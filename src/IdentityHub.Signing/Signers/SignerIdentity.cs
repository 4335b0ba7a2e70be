using IdentityHub.Core.Keys;

namespace IdentityHub.Signing.Signers;

/// <summary>
/// Everything a signature format needs from its signer: a key handle that signs a digest (never the key itself), the
/// signer's certificate and the issuing chain up to the root, each in DER, issuer first.
/// </summary>
public sealed record SignerIdentity(ISigningKey Key, byte[] CertificateDer, IReadOnlyList<byte[]> IssuerChainDer)
{
    /// <summary>The signer's certificate followed by its issuers: what signatures embed (root included, for path building offline).</summary>
    public IEnumerable<byte[]> FullChainDer => IssuerChainDer.Prepend(CertificateDer);
}
