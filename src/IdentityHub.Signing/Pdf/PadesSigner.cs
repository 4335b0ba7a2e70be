using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IdentityHub.Pki.Authorities;
using IdentityHub.Signing.Cms;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Pdf.Signatures;
using IdentityHub.Signing.Pdf.Structure;
using IdentityHub.Signing.Pdf.Syntax;
using IdentityHub.Signing.Revocation;
using IdentityHub.Signing.Signers;
using IdentityHub.Signing.TimeStamps;
using IdentityHub.Signing.Validation;
using Microsoft.Extensions.Options;

namespace IdentityHub.Signing.Pdf;

/// <summary>
/// PAdES baseline signatures (ETSI EN 319 142-1 §6): B-B, B-T, B-LT and B-LTA, each one more incremental update.
/// </summary>
/// <remarks>
/// How /Contents is sized: it must hold the DER CMS, which is known only after signing, yet the bytes around it are
/// what is signed. So the size is computed from what the CMS will contain: the DER of the signer's certificate and
/// chain (SignedData.certificates), the issuer name and serial twice (sid and the ESSCertIDv2 issuerSerial), the
/// largest signature value for the key (RSA: the modulus; ECDSA: 2 × (field + 1) + 8 for the DER SEQUENCE), and for
/// B-T and up the signature time-stamp token, bounded by the TSA's certificate chain plus 2048 bytes for its TSTInfo,
/// SignerInfo and signature; then 1024 bytes of fixed CMS structure and 1024 of margin. A document time-stamp reserves
/// the token bound alone plus the margin. A value that would not fit is a bug and fails loudly, never truncated.
/// </remarks>
public sealed class PadesSigner
{
    private const int TokenOverhead = 2048;
    private const int CmsStructure = 1024;
    private const int Margin = 1024;

    private readonly CmsSignatureBuilder _cms;
    private readonly ITimeStampSource _timeStamps;
    private readonly IRevocationSource _revocation;
    private readonly PkiKeyring _keyring;
    private readonly IOptions<SigningOptions> _options;
    private readonly TimeProvider _time;

    internal PadesSigner(CmsSignatureBuilder cms, ITimeStampSource timeStamps, IRevocationSource revocation, PkiKeyring keyring, IOptions<SigningOptions> options, TimeProvider time)
    {
        _cms = cms;
        _timeStamps = timeStamps;
        _revocation = revocation;
        _keyring = keyring;
        _options = options;
        _time = time;
    }

    /// <summary>
    /// The PDF with the signature appended (never a rewrite of earlier bytes). Bad input ends in
    /// <see cref="DocumentRejectedException"/> (too large, not a PDF, encrypted, damaged) before anything is signed.
    /// </summary>
    public async Task<byte[]> SignAsync(ReadOnlyMemory<byte> pdf, SignerIdentity signer, PadesParameters parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(parameters);
        Check(parameters);
        if (pdf.Length > _options.Value.MaxDocumentBytes)
        {
            throw new DocumentRejectedException(DocumentProblems.TooLarge, $"The document is larger than {_options.Value.MaxDocumentBytes} bytes.");
        }

        var level = parameters.Level;
        var stamped = level >= SignatureLevel.BaselineT;
        var tsaChain = stamped ? await _keyring.ServiceChainAsync("tsa", cancellationToken) : [];
        var time = _time.GetUtcNow();
        var name = parameters.SignerDisplayName ?? CommonName(signer.CertificateDer);
        var request = new SignatureFieldRequest(
            "Sig",
            "ETSI.CAdES.detached",
            ContentsBytes(signer, stamped ? tsaChain : null),
            SigningTime: time,
            Reason: parameters.Reason,
            Location: parameters.Location,
            Name: name,
            DocMdpPermission: parameters.CertificationPermission,
            Appearance: parameters.Visible
                ? new SignatureAppearance(name, time, LevelName(level), parameters.Rectangle?.ToArray() ?? SignatureAppearance.DefaultRectangle)
                : null);

        try
        {
            // EN 319 142-1 §6.3: B-B carries no CMS signing-time (the time is /M); B-T adds the signature time-stamp.
            var signed = await SignatureRevision.AppendAsync(PdfFile.Open(pdf), request, CmsSignatureBuilder.DigestFor(signer),
                (digest, ct) => _cms.SignAsync(digest, signer, new CmsSignatureRequest(null, stamped), ct), cancellationToken);
            if (level >= SignatureLevel.BaselineLT)
            {
                signed = DssRevision.Append(PdfFile.Open(signed), await CollectAsync(signer, tsaChain, cancellationToken));
            }

            if (level == SignatureLevel.BaselineLTA)
            {
                // EN 319 142-1 §5.4.3 / §6.3 B-LTA: a document time-stamp (ETSI.RFC3161) over the revision holding the DSS.
                var stamp = new SignatureFieldRequest("DocTimeStamp", "ETSI.RFC3161", TokenBytes(tsaChain) + Margin);
                signed = await SignatureRevision.AppendAsync(PdfFile.Open(signed), stamp, HashAlgorithmName.SHA256,
                    (digest, ct) => _timeStamps.TimeStampAsync(digest, HashAlgorithmName.SHA256, ct), cancellationToken);
            }

            return signed;
        }
        catch (Exception ex) when (ex is PdfSyntaxException or OverflowException or InvalidCastException or IndexOutOfRangeException)
        {
            throw new DocumentRejectedException(DocumentProblems.DamagedPdf, "The PDF's structure is damaged: " + ex.Message, ex);
        }
    }

    /// <summary>EN 319 142-1 §6.3 B-LT: certificates and revocation data for the signer's path and the TSA's path.</summary>
    private async Task<DssMaterial> CollectAsync(SignerIdentity signer, IReadOnlyList<byte[]> tsaChain, CancellationToken cancellationToken)
    {
        var signerPath = signer.FullChainDer.ToList();
        var signerData = await _revocation.CollectAsync(signerPath, cancellationToken);
        var tsaData = await _revocation.CollectAsync(tsaChain, cancellationToken);
        return new DssMaterial(
            [.. signerPath, .. tsaChain],
            [.. signerData.OcspResponses, .. tsaData.OcspResponses],
            [.. signerData.Crls, .. tsaData.Crls]);
    }

    private static int ContentsBytes(SignerIdentity signer, IReadOnlyList<byte[]>? tsaChain)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(signer.CertificateDer);
        var chain = signer.FullChainDer.Sum(c => c.Length + 8);
        var identifier = 2 * (certificate.IssuerName.RawData.Length + certificate.SerialNumberBytes.Length + 8);
        var bits = certificate.PublicKey.GetRSAPublicKey()?.KeySize ?? certificate.PublicKey.GetECDsaPublicKey()?.KeySize
            ?? throw new CryptographicException("The signer's key is neither RSA nor ECDSA.");
        var signature = certificate.PublicKey.Oid.Value == "1.2.840.113549.1.1.1" ? bits / 8 : (2 * ((bits + 7) / 8 + 1)) + 8;
        return chain + identifier + signature + (tsaChain is null ? 0 : TokenBytes(tsaChain)) + CmsStructure + Margin;
    }

    private static int TokenBytes(IReadOnlyList<byte[]> tsaChain) => tsaChain.Sum(c => c.Length + 8) + TokenOverhead;

    private static void Check(PadesParameters parameters)
    {
        if (parameters.Level is SignatureLevel.None || !Enum.IsDefined(parameters.Level))
        {
            throw new ArgumentOutOfRangeException(nameof(parameters), parameters.Level, "PAdES signatures are made at B-B, B-T, B-LT or B-LTA.");
        }

        if (parameters.CertificationPermission is { } p && p is < 1 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(parameters), p, "DocMDP permission is 1, 2 or 3 (ISO 32000-1 §12.8.2.2.2).");
        }

        if (parameters.Rectangle is { } r && (r.Count != 4 || r[2] <= r[0] || r[3] <= r[1]))
        {
            throw new ArgumentOutOfRangeException(nameof(parameters), "The visible signature's rectangle is [llx lly urx ury] with urx > llx and ury > lly.");
        }
    }

    private static string LevelName(SignatureLevel level) => level switch
    {
        SignatureLevel.BaselineT => "B-T",
        SignatureLevel.BaselineLT => "B-LT",
        SignatureLevel.BaselineLTA => "B-LTA",
        _ => "B-B",
    };

    private static string CommonName(byte[] certificateDer)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(certificateDer);
        return certificate.GetNameInfo(X509NameType.SimpleName, false);
    }
}
