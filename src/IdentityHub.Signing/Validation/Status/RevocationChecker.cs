using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;
using IdentityHub.Signing.Validation.Chains;

namespace IdentityHub.Signing.Validation.Status;

/// <summary>
/// Judges a certificate's revocation status from OCSP responses (RFC 6960) and CRLs (RFC 5280 §6.3), offline, as
/// EN 319 102-1 §5.2.6 needs it. Only data whose signature verifies counts: an OCSP response signed by the issuing
/// CA itself or by a delegated responder the CA certified with id-kp-OCSPSigning (RFC 6960 §4.2.2.2); a CRL signed by
/// the issuing CA whose thisUpdate is before its nextUpdate.
/// </summary>
internal static class RevocationChecker
{
    private const string OcspSigning = "1.3.6.1.5.5.7.3.9";

    public static RevocationFinding Check(X509Certificate certificate, X509Certificate issuer, IEnumerable<byte[]> ocspResponses, IEnumerable<byte[]> crls, IReadOnlyList<X509Certificate> pool)
    {
        var messages = new List<string>();
        var findings = new List<(CertificateStatus Status, DateTimeOffset? RevokedAt, DateTimeOffset IssuedAt)>();
        var covered = false;
        foreach (var der in ocspResponses)
        {
            if (Basic(der) is not { } basic)
            {
                continue;
            }

            foreach (var single in basic.Responses)
            {
                var id = single.GetCertID();
                if (!id.SerialNumber.Equals(certificate.SerialNumber) || !Matches(id, issuer))
                {
                    continue;
                }

                covered = true;
                if (!ResponderVerifies(basic, issuer, pool))
                {
                    messages.Add("An OCSP response for the certificate is not signed by its CA or by a responder the CA authorised; it is ignored.");
                    continue;
                }

                var thisUpdate = new DateTimeOffset(single.ThisUpdate, TimeSpan.Zero);
                findings.Add(single.GetCertStatus() switch
                {
                    null => (CertificateStatus.Good, null, thisUpdate), // RFC 6960 §4.2.1: null CertStatus is "good"
                    RevokedStatus status => (CertificateStatus.Revoked, new DateTimeOffset(status.RevocationTime, TimeSpan.Zero), thisUpdate),
                    _ => (CertificateStatus.Unknown, null, thisUpdate),
                });
            }
        }

        foreach (var der in crls)
        {
            X509Crl crl;
            try
            {
                crl = new X509Crl(der);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidCastException or IOException or Org.BouncyCastle.Security.Certificates.CrlException)
            {
                continue;
            }

            if (!crl.IssuerDN.Equivalent(issuer.SubjectDN))
            {
                continue;
            }

            covered = true;
            if (!CrlVerifies(crl, issuer))
            {
                messages.Add("A CRL from the certificate's CA does not verify with the CA's key; it is ignored.");
                continue;
            }

            if (crl.NextUpdate is { } next && next < crl.ThisUpdate)
            {
                messages.Add("A CRL's nextUpdate is before its thisUpdate; it is ignored.");
                continue;
            }

            var thisUpdate = new DateTimeOffset(crl.ThisUpdate, TimeSpan.Zero);
            findings.Add(crl.GetRevokedCertificate(certificate.SerialNumber) is { } entry
                ? (CertificateStatus.Revoked, new DateTimeOffset(entry.RevocationDate, TimeSpan.Zero), thisUpdate)
                : (CertificateStatus.Good, null, thisUpdate));
        }

        // A verified "revoked" wins over "good" from older data; the earliest revocation time is the one that counts.
        var revoked = findings.Where(f => f.Status == CertificateStatus.Revoked).OrderBy(f => f.RevokedAt).FirstOrDefault();
        if (revoked.Status == CertificateStatus.Revoked)
        {
            return new RevocationFinding(CertificateStatus.Revoked, revoked.RevokedAt, revoked.IssuedAt, true, messages);
        }

        var good = findings.Where(f => f.Status == CertificateStatus.Good).OrderByDescending(f => f.IssuedAt).FirstOrDefault();
        return good.Status == CertificateStatus.Good
            ? new RevocationFinding(CertificateStatus.Good, null, good.IssuedAt, true, messages)
            : new RevocationFinding(CertificateStatus.Unknown, null, null, covered, messages);
    }

    /// <summary>Whether some OCSP response or CRL names the certificate (for the B-LT level: validation data present).</summary>
    public static bool Covers(X509Certificate certificate, X509Certificate issuer, IEnumerable<byte[]> ocspResponses, IEnumerable<byte[]> crls) =>
        ocspResponses.Select(Basic).Any(b => b?.Responses.Any(s => s.GetCertID().SerialNumber.Equals(certificate.SerialNumber) && Matches(s.GetCertID(), issuer)) == true)
        || crls.Any(der => CrlIssuer(der)?.Equivalent(issuer.SubjectDN) == true);

    private static Org.BouncyCastle.Asn1.X509.X509Name? CrlIssuer(byte[] der)
    {
        try
        {
            return new X509Crl(der).IssuerDN;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or IOException or Org.BouncyCastle.Security.Certificates.CrlException)
        {
            return null;
        }
    }

    /// <summary>Accepts a whole OCSPResponse or a bare BasicOCSPResponse (CAdES revocation-values carries the latter).</summary>
    private static BasicOcspResp? Basic(byte[] der)
    {
        try
        {
            var sequence = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(der));
            if (sequence.Count <= 2 && sequence[0] is DerEnumerated)
            {
                var response = new OcspResp(OcspResponse.GetInstance(sequence));
                return response.Status == OcspRespStatus.Successful ? response.GetResponseObject() as BasicOcspResp : null;
            }

            return new BasicOcspResp(BasicOcspResponse.GetInstance(sequence));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or IOException or OcspException)
        {
            return null;
        }
    }

    private static bool Matches(CertificateID id, X509Certificate issuer)
    {
        try
        {
            return id.MatchesIssuer(issuer);
        }
        catch (OcspException)
        {
            return false;
        }
    }

    private static bool ResponderVerifies(BasicOcspResp basic, X509Certificate issuer, IReadOnlyList<X509Certificate> pool)
    {
        if (Verifies(basic, issuer))
        {
            return true;
        }

        // A delegated responder: certified by the same CA for id-kp-OCSPSigning (RFC 6960 §4.2.2.2).
        return basic.GetCerts().Concat(pool)
            .Where(c => c.IssuerDN.Equivalent(issuer.SubjectDN) && CertificatePathBuilder.HasExtendedKeyUsage(c, OcspSigning) && CertificatePathBuilder.Signed(c, issuer))
            .Any(c => Verifies(basic, c));
    }

    private static bool Verifies(BasicOcspResp basic, X509Certificate signer)
    {
        try
        {
            return basic.Verify(signer.GetPublicKey());
        }
        catch (Exception ex) when (ex is OcspException or ArgumentException or InvalidCastException or Org.BouncyCastle.Security.InvalidKeyException)
        {
            return false;
        }
    }

    private static bool CrlVerifies(X509Crl crl, X509Certificate issuer)
    {
        try
        {
            return crl.IsSignatureValid(issuer.GetPublicKey());
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or Org.BouncyCastle.Security.InvalidKeyException or Org.BouncyCastle.Security.Certificates.CrlException)
        {
            return false;
        }
    }
}
