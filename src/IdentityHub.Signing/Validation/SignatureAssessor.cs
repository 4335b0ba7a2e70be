using IdentityHub.Signing.Revocation;
using IdentityHub.Signing.Validation.Chains;
using IdentityHub.Signing.Validation.Status;
using IdentityHub.Signing.Validation.TimeStamping;
using Org.BouncyCastle.X509;

namespace IdentityHub.Signing.Validation;

/// <summary>
/// Turns what a format reader found into an ETSI EN 319 102-1 conclusion, the same way for every format: format
/// checking (§5.2.3), identification of the signing certificate (§5.2.2), cryptographic verification (§5.2.7),
/// X.509 certificate validation offline to the configured anchors (§5.2.6), time-stamp validation as proof of
/// existence (§5.4, §5.6.2.3) and revocation at the proven signing time (§5.6.2.1 past signature validation).
/// </summary>
internal sealed class SignatureAssessor(IRevocationSource hubRevocation)
{
    public async Task<SignatureReport> AssessAsync(SignatureEvidence evidence, AssessmentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var report = await ConcludeAsync(evidence, context, cancellationToken);
        // Deviations the format tolerates (e.g. an ASiC "mimetype" not stored first) are told, never decisive.
        return evidence.Warnings.Count == 0 ? report : report with { Messages = [.. report.Messages, .. evidence.Warnings] };
    }

    private async Task<SignatureReport> ConcludeAsync(SignatureEvidence evidence, AssessmentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var report = new SignatureReport
        {
            Id = evidence.Id,
            Format = evidence.Format,
            Level = SignatureLevel.None,
            Indication = Indication.Indeterminate,
            ClaimedSigningTime = evidence.ClaimedSigningTime,
            DataIntact = evidence.DataIntact,
            SignatureIntact = evidence.SignatureIntact,
            DigestAlgorithm = evidence.DigestAlgorithm,
            SignatureAlgorithm = evidence.SignatureAlgorithm,
            SignedObjects = evidence.SignedObjects,
        };

        // §5.2.3 format checking.
        if (evidence.FormatProblem is { } formatProblem)
        {
            return report with { Indication = Indication.TotalFailed, SubIndication = SubIndication.FormatFailure, Messages = [formatProblem] };
        }

        // §5.2.2 identification of the signing certificate.
        if (evidence.SigningCertificate is null)
        {
            return report with { SubIndication = SubIndication.NoSigningCertificateFound, Messages = ["No certificate carried with the signature identifies its signer."] };
        }

        var signer = new X509Certificate(evidence.SigningCertificate);
        var qc = QcStatements.Of(signer);
        report = report with
        {
            Signer = CertificateInfos.Of(signer),
            QualifiedCertificate = qc.Contains(QcStatements.QcCompliance),
            QualifiedSignatureCreationDevice = qc.Contains(QcStatements.QcSscd),
        };
        if (evidence.SigningCertificateReferenceMatches == false)
        {
            return report with { SubIndication = SubIndication.NoSigningCertificateFound, Messages = ["The signed signing-certificate reference does not match the signer's certificate."] };
        }

        // §5.2.7 cryptographic verification: the signed data first (a changed document), then the signature value.
        if (evidence.DataIntact == false)
        {
            return report with { Indication = Indication.TotalFailed, SubIndication = SubIndication.HashFailure, Messages = [evidence.DataProblem ?? "The signed data does not match its digest."] };
        }

        if (evidence.SignatureIntact == false)
        {
            return report with { Indication = Indication.TotalFailed, SubIndication = SubIndication.SigCryptoFailure, Messages = ["The signature value does not verify with the signer's public key."] };
        }

        if (evidence.DataIntact is null)
        {
            return report with { SubIndication = SubIndication.SignedDataNotFound, Messages = [evidence.DataProblem ?? "The signed data was not found."] };
        }

        var embedded = evidence.Certificates.Select(c => new X509Certificate(c)).ToList();
        var signatureTimestamps = evidence.SignatureTimestamps.Select(t => TimestampVerifier.Verify("signature", t, embedded, context.Anchors)).ToList();
        var archiveTimestamps = evidence.ArchiveTimestamps.Select(t => TimestampVerifier.Verify(evidence.Format == SignatureFormat.Pades ? "document" : "archive", t, embedded, context.Anchors)).ToList();
        // The hub's own CA certificates count as known intermediates, as a validator would fetch them from the AIA
        // URLs they publish (/pki/ca/{name}.crt): a XAdES B-B carries only the signer's certificate. They are not anchors.
        var pool = embedded.Concat(signatureTimestamps.Concat(archiveTimestamps).SelectMany(t => t.Certificates)).Concat(context.HubAuthorities).ToList();
        var messages = new List<string>();
        messages.AddRange(signatureTimestamps.Concat(archiveTimestamps).Where(t => !t.ProvesExistence).Select(Describe));

        // The earliest good, trusted signature time-stamp proves when the signature existed (POE); a later archive or
        // document time-stamp proves it too, later.
        var provenSigningTime = signatureTimestamps.Where(t => t.ProvesExistence).Select(t => (DateTimeOffset?)t.GenerationTime).Min();
        var proofOfExistence = provenSigningTime ?? archiveTimestamps.Where(t => t.ProvesExistence).Select(t => (DateTimeOffset?)t.GenerationTime).Min();
        var path = CertificatePathBuilder.Build(signer, pool, context.Anchors);
        report = report with
        {
            Level = SignatureLevels.Reached(evidence, signer, embedded, signatureTimestamps, archiveTimestamps, context.Anchors),
            Chain = [.. path.Certificates.Select(CertificateInfos.Of)],
            ChainTrusted = path.Trusted,
            ProvenSigningTime = provenSigningTime,
            Timestamps = [.. signatureTimestamps.Concat(archiveTimestamps).Select(t => t.Report)],
        };
        if (evidence.SigningCertificateReferenceMatches is null)
        {
            messages.Add("The signature carries no signed signing-certificate reference, so it is not an ETSI baseline signature.");
        }

        if (!path.Trusted)
        {
            return report with { SubIndication = SubIndication.NoCertificateChainFound, Messages = [path.Problem ?? "No path to a trust anchor.", .. messages] };
        }

        var revocation = await RevocationAsync(signer, path, evidence, pool, context, cancellationToken);
        messages.AddRange(revocation.Messages);
        report = report with { RevocationStatus = revocation.StatusName, RevokedAt = revocation.RevokedAt };
        if (revocation.Status == CertificateStatus.Revoked)
        {
            // §5.6.2.1: revoked before the proven signing time fails; revoked with no proof that it signed earlier is undecided.
            if (provenSigningTime is { } proven && revocation.RevokedAt <= proven)
            {
                return report with { Indication = Indication.TotalFailed, SubIndication = SubIndication.Revoked, Messages = [$"The signer's certificate was revoked at {revocation.RevokedAt:u}, before the signature's time-stamp of {proven:u}.", .. messages] };
            }

            if (provenSigningTime is null)
            {
                return report with { SubIndication = SubIndication.RevokedNoPoe, Messages = [$"The signer's certificate was revoked at {revocation.RevokedAt:u} and nothing proves the signature existed before then.", .. messages] };
            }

            messages.Add($"The signer's certificate was revoked at {revocation.RevokedAt:u}, after the signature's proven time {provenSigningTime:u}.");
        }

        // §5.2.6 / §5.6.2.1: every certificate of the path must be valid at the validation time, or at a proven time.
        var outOfBounds = path.Certificates.FirstOrDefault(c => !CertificateInfos.ValidAt(c, context.ValidationTime) && (proofOfExistence is not { } poe || !CertificateInfos.ValidAt(c, poe)));
        if (outOfBounds is not null)
        {
            return report with { SubIndication = SubIndication.OutOfBoundsNoPoe, Messages = [$"The certificate '{outOfBounds.SubjectDN}' is not valid at {context.ValidationTime:u} (valid {outOfBounds.NotBefore:u} to {outOfBounds.NotAfter:u}) and nothing proves the signature existed while it was.", .. messages] };
        }

        // §5.2.6: the signer's certificate is accepted only with its revocation status known (DSS: "Is the revocation data
        // present for the certificate?", INDETERMINATE / TRY_LATER). A later validation, with an OCSP response or a CRL
        // added to the signature (an LT level), can decide.
        if (revocation.Status == CertificateStatus.Unknown && !revocation.Anchor)
        {
            return report with { SubIndication = SubIndication.TryLater, Messages = ["No verifiable revocation data for the signer's certificate was found; its status is unknown, so the signature cannot be accepted yet.", .. messages] };
        }

        return report with { Indication = Indication.TotalPassed, SubIndication = null, Messages = messages };
    }

    private async Task<RevocationFinding> RevocationAsync(X509Certificate signer, CertificatePath path, SignatureEvidence evidence, IReadOnlyList<X509Certificate> pool, AssessmentContext context, CancellationToken cancellationToken)
    {
        if (path.IssuerOf(0) is not { } issuer)
        {
            return RevocationFinding.None; // the signer is itself an anchor: trusted by configuration (RFC 5280 §6.1)
        }

        var embedded = RevocationChecker.Check(signer, issuer, evidence.OcspResponses, evidence.Crls, pool);
        if (embedded.Status != CertificateStatus.Unknown || !context.HubAuthorities.Any(a => CertificatePathBuilder.SameCertificate(a, issuer)))
        {
            return embedded;
        }

        // Signed under a hub CA and carrying nothing usable: ask the hub's own OCSP responder and CRL, in process.
        var fetched = await hubRevocation.CollectAsync([signer.GetEncoded()], cancellationToken);
        var fromHub = RevocationChecker.Check(signer, issuer, fetched.OcspResponses, fetched.Crls, pool);
        return fromHub with { Messages = [.. embedded.Messages, .. fromHub.Messages, "Revocation status from the hub's own OCSP responder and CRL."] };
    }

    private static string Describe(VerifiedTimestamp timestamp) =>
        !timestamp.Report.ImprintIntact ? $"A {timestamp.Report.Kind} time-stamp does not cover this signature (its imprint does not match)."
        : !timestamp.Report.SignatureIntact ? $"A {timestamp.Report.Kind} time-stamp's TSA signature does not verify."
        : $"A {timestamp.Report.Kind} time-stamp of {timestamp.GenerationTime:u} comes from a TSA that does not chain to a trust anchor, so it proves nothing.";
}
