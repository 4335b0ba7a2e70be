using IdentityHub.Data.Pki;
using IdentityHub.Pki.Authorities;
using IdentityHub.Pki.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using BcCertificateStatus = Org.BouncyCastle.Ocsp.CertificateStatus;
using CertificateStatus = IdentityHub.Data.Pki.CertificateStatus;

namespace IdentityHub.Pki;

/// <summary>
/// RFC 6960 OCSP responder. Each CA answers through its own delegated responder certificate (§4.2.2.2,
/// id-pkix-ocsp-nocheck); status comes from the registry on every request, so a revocation is visible at once.
/// Errors are OCSP responses, never HTTP errors: malformedRequest (§4.2.1) for what cannot be parsed,
/// and for more than <see cref="PkiOptions.OcspMaxCertIds"/> CertIDs in one request, unauthorized for CAs this hub does not run.
/// </summary>
public sealed class OcspResponder
{
    /// <summary>RFC 8954 §2.1: nonces are 1 to 32 octets.</summary>
    private const int MaxNonceLength = 32;

    private readonly CertificateStatusReader _registry;
    private readonly PkiKeyring _keyring;
    private readonly TimeProvider _time;
    private readonly PkiOptions _options;
    private readonly ILogger<OcspResponder> _log;

    public OcspResponder(CertificateStatusReader registry, PkiKeyring keyring, TimeProvider time, IOptions<PkiOptions> options, ILogger<OcspResponder> log)
    {
        _registry = registry;
        _keyring = keyring;
        _time = time;
        _options = options.Value;
        _log = log;
    }

    /// <summary>Answers a DER OCSPRequest with a DER OCSPResponse.</summary>
    public async Task<byte[]> RespondAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        if (request.IsEmpty)
        {
            return Reject(OcspRespStatus.MalformedRequest, "empty or oversized request");
        }

        OcspReq parsed;
        Req[] singles;
        try
        {
            parsed = new OcspReq(request.ToArray());
            singles = parsed.GetRequestList();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Hostile input boundary: whatever the DER parser throws, the answer is malformedRequest.
            return Reject(OcspRespStatus.MalformedRequest, "unparseable request");
        }

        if (singles.Length == 0)
        {
            return Reject(OcspRespStatus.MalformedRequest, "no CertID in request");
        }

        if (singles.Length > _options.OcspMaxCertIds)
        {
            // Each CertID is a registry lookup: a cap keeps one request from costing the hub thousands of them.
            return Reject(OcspRespStatus.MalformedRequest, "too many CertIDs in request");
        }

        var nonce = parsed.RequestExtensions?.GetExtension(OcspObjectIdentifiers.PkixOcspNonce);
        if (nonce is not null && !IsAcceptableNonce(nonce))
        {
            return Reject(OcspRespStatus.MalformedRequest, "nonce length outside 1..32 octets");
        }

        var keyring = await _keyring.GetAsync(cancellationToken);
        var ids = singles.Select(s => s.GetCertID()).ToArray();
        var authority = keyring.Authorities.Values.FirstOrDefault(a => IsIssuerOf(a, ids[0]));
        if (authority is null || !ids.All(id => IsIssuerOf(authority, id)))
        {
            // §2.3: the responder is not authoritative for (all of) the CertIDs asked about.
            return Reject(OcspRespStatus.Unauthorized, "issuer not served here");
        }

        if (authority.OcspResponder is not { } responder)
        {
            PkiLog.OcspResponderMissing(_log, authority.Name);
            return Reject(OcspRespStatus.InternalError, "no responder credential");
        }

        var now = PkiClock.Now(_time);
        var generator = new BasicOcspRespGenerator(authority.OcspResponderId!);
        foreach (var id in ids)
        {
            var row = await _registry.FindAsync(authority.Name, SerialNumbers.ToHex(id.SerialNumber), cancellationToken);
            var status = StatusOf(row);
            generator.AddResponse(id, status, now, _options.OcspValidity > TimeSpan.Zero ? now + _options.OcspValidity : null, null);
            PkiMetrics.OcspResponses.Add(1, new KeyValuePair<string, object?>("status", StatusName(status)));
        }

        if (nonce is not null)
        {
            // §4.4.1: the nonce is echoed unchanged, binding this response to the request.
            generator.SetResponseExtensions(new X509Extensions(new Dictionary<DerObjectIdentifier, X509Extension>
            {
                [OcspObjectIdentifiers.PkixOcspNonce] = nonce,
            }));
        }

        var basic = generator.Generate(responder.Signer, [responder.Certificate], now);
        return new OCSPRespGenerator().Generate(OcspRespStatus.Successful, basic).GetEncoded();
    }

    private static bool IsIssuerOf(Authority authority, CertificateID id) =>
        authority.IsIssuerOf(id.HashAlgOid, id.GetIssuerNameHash(), id.GetIssuerKeyHash());

    private static bool IsAcceptableNonce(X509Extension nonce)
    {
        var value = nonce.Value.GetOctets();
        try
        {
            // The extnValue wraps an OCTET STRING holding the nonce itself.
            var inner = Asn1OctetString.GetInstance(Asn1Object.FromByteArray(value)).GetOctets();
            return inner.Length is > 0 and <= MaxNonceLength;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidCastException)
        {
            // Some clients put raw bytes in the extension; accept the same bounds on them.
            return value.Length is > 0 and <= MaxNonceLength;
        }
    }

    private static BcCertificateStatus? StatusOf(CertificateStatusRow? row) => row switch
    {
        null => new UnknownStatus(),
        { Status: CertificateStatus.Revoked } => new RevokedStatus(row.RevokedAt!.Value.UtcDateTime, row.RevocationReason ?? 0),
        _ => BcCertificateStatus.Good,
    };

    private static string StatusName(BcCertificateStatus? status) => status switch
    {
        null => "good",
        RevokedStatus => "revoked",
        _ => "unknown",
    };

    private static byte[] Reject(int status, string why)
    {
        PkiMetrics.OcspResponses.Add(1, new KeyValuePair<string, object?>("status", why));
        return new OCSPRespGenerator().Generate(status, null).GetEncoded();
    }
}
