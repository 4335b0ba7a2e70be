using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IdentityHub.Signing.Validation.Xades;

/// <summary>The signer identified among the carried certificates (EN 319 102-1 §5.2.3 identification of the signing certificate).</summary>
internal sealed record SignerSelection(X509Certificate2? Certificate, bool? ReferenceMatches, bool? SignatureIntact);

/// <summary>
/// Picks the signing certificate among KeyInfo and CertificateValues: the one the signed SigningCertificate(V2)
/// reference names (EN 319 132-1 §5.2.2: CertDigest, and the serial number of IssuerSerial when given) whose key verifies
/// the signature value. A certificate that verifies but is not the referenced one is reported with
/// <see cref="SignerSelection.ReferenceMatches"/> false: the signer then is not who the signed attributes say.
/// </summary>
internal static class SigningCertificateSelector
{
    /// <param name="references">The SigningCertificate(V2) entries, empty when there are none or when they are not signed.</param>
    /// <param name="referenceExpected">Whether the format requires a signed reference (XAdES), so that its absence is a mismatch rather than "not applicable".</param>
    public static SignerSelection Select(
        IReadOnlyList<X509Certificate2> candidates,
        IReadOnlyList<XadesCertReference> references,
        bool referenceExpected,
        Func<X509Certificate2, bool> verify)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(verify);
        List<X509Certificate2> referenced = [.. references.SelectMany(r => candidates.Where(c => Matches(c, r))).Distinct()];
        foreach (X509Certificate2 certificate in referenced)
        {
            if (verify(certificate))
            {
                return new SignerSelection(certificate, true, true);
            }
        }

        bool? mismatch = referenceExpected ? false : null;
        X509Certificate2? verifying = candidates.Except(referenced).FirstOrDefault(verify);
        if (verifying is not null)
        {
            return new SignerSelection(verifying, mismatch, true);
        }

        if (referenced.Count > 0)
        {
            return new SignerSelection(referenced[0], true, false);
        }

        X509Certificate2? first = candidates.Count > 0 ? candidates[0] : null;
        return new SignerSelection(first, first is null ? null : mismatch, first is null ? null : false);
    }

    public static bool Matches(X509Certificate2 certificate, XadesCertReference reference)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(reference);
        bool digest = CryptographicOperations.FixedTimeEquals(XmlDsigAlgorithms.Hash(reference.Digest, certificate.RawData), reference.DigestValue);
        return digest && (reference.SerialNumber is null
            || reference.SerialNumber == new BigInteger(certificate.SerialNumberBytes.Span, isUnsigned: false, isBigEndian: true));
    }
}
