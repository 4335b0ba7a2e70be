using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace IdentityHub.Signing.Validation.Chains;

/// <summary>
/// ETSI EN 319 412-5 §4.2 QCStatements in the signer's certificate (RFC 3739 §3.2.6 extension): esi4-qcStatement-1
/// QcCompliance says the certificate is qualified, esi4-qcStatement-4 QcSSCD that its key is in a qualified device.
/// </summary>
internal static class QcStatements
{
    public const string QcCompliance = "0.4.0.1862.1.1";
    public const string QcSscd = "0.4.0.1862.1.4";

    public static IReadOnlySet<string> Of(X509Certificate certificate)
    {
        var extension = certificate.GetExtensionValue(X509Extensions.QCStatements);
        if (extension is null)
        {
            return new HashSet<string>();
        }

        try
        {
            var statements = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(extension.GetOctets()));
            return statements.Cast<Asn1Encodable>()
                .Select(s => Asn1Sequence.GetInstance(s)[0])
                .OfType<DerObjectIdentifier>()
                .Select(o => o.Id)
                .ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or InvalidCastException)
        {
            return new HashSet<string>(); // a malformed extension asserts nothing
        }
    }
}
