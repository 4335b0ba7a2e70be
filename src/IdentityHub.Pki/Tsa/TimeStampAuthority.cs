using IdentityHub.Pki.Authorities;
using IdentityHub.Pki.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Tsp;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.Utilities.Collections;
using Org.BouncyCastle.X509;

namespace IdentityHub.Pki;

/// <summary>
/// RFC 3161 time-stamp authority. Accepts SHA-256/384/512 message imprints, puts the configured policy, a random
/// serial, the nonce and the accuracy in each token and signs with the TSA key in the HSM. The TSA certificate and
/// its issuing CA go into the token when the request sets certReq (§2.4.1). Every problem is a rejection
/// response with a PKIFailureInfo (§2.4.2), never an HTTP error.
/// </summary>
public sealed class TimeStampAuthority
{
    private static readonly IList<string> AcceptedAlgorithms =
        [NistObjectIdentifiers.IdSha256.Id, NistObjectIdentifiers.IdSha384.Id, NistObjectIdentifiers.IdSha512.Id];

    private readonly PkiKeyring _keyring;
    private readonly TimeProvider _time;
    private readonly TsaOptions _options;
    private readonly ILogger<TimeStampAuthority> _log;

    public TimeStampAuthority(PkiKeyring keyring, TimeProvider time, IOptions<PkiOptions> options, ILogger<TimeStampAuthority> log)
    {
        _keyring = keyring;
        _time = time;
        _options = options.Value.Tsa;
        _log = log;
    }

    /// <summary>Answers a DER TimeStampReq with a DER TimeStampResp.</summary>
    public async Task<byte[]> RespondAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        if (request.IsEmpty)
        {
            return Fail(PkiFailureInfo.BadDataFormat, "The request is empty or larger than a time-stamp request can be.");
        }

        TimeStampRequest parsed;
        try
        {
            parsed = new TimeStampRequest(request.ToArray());
            _ = parsed.MessageImprintAlgOid; // forces the lazily decoded imprint
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Hostile input boundary: whatever the DER parser throws, the answer is a badDataFormat rejection.
            return Fail(PkiFailureInfo.BadDataFormat, "The request is not a DER TimeStampReq (RFC 3161 section 2.4.1).");
        }

        var keyring = await _keyring.GetAsync(cancellationToken);
        var credential = keyring.Credential("tsa");
        var generator = CreateGenerator(credential);
        var responses = new TimeStampResponseGenerator(generator, AcceptedAlgorithms, [_options.PolicyOid]);
        try
        {
            var response = responses.Generate(parsed, SerialNumbers.NewSerial(), _time.GetUtcNow().UtcDateTime);
            PkiMetrics.TimeStamps.Add(1, new KeyValuePair<string, object?>("status", response.Status == (int)PkiStatus.Granted ? "granted" : "rejected"));
            return response.GetEncoded();
        }
        catch (TspException ex)
        {
            PkiLog.TimeStampFailed(_log, ex);
            return Fail(PkiFailureInfo.SystemFailure, "The time-stamp could not be produced.");
        }
    }

    private TimeStampTokenGenerator CreateGenerator(SigningCredential credential)
    {
        var signerInfo = new SignerInfoGeneratorBuilder().Build(credential.Signer, credential.Certificate);
        // ESSCertIDv2 with SHA-256 (RFC 5816) binds the signer certificate into the signed attributes.
        var generator = new TimeStampTokenGenerator(signerInfo, Asn1DigestFactory.Get(NistObjectIdentifiers.IdSha256),
            new DerObjectIdentifier(_options.PolicyOid), true);
        if (_options.AccuracyMillis >= 1000)
        {
            generator.SetAccuracySeconds(_options.AccuracyMillis / 1000);
        }

        if (_options.AccuracyMillis % 1000 != 0)
        {
            generator.SetAccuracyMillis(_options.AccuracyMillis % 1000);
        }

        // BouncyCastle adds these only when the request's certReq is true (RFC 3161 section 2.4.1). The root stays out.
        generator.SetCertificates(CollectionUtilities.CreateStore<X509Certificate>(credential.Chain[..^1]));
        return generator;
    }

    private static byte[] Fail(int failureInfo, string text)
    {
        PkiMetrics.TimeStamps.Add(1, new KeyValuePair<string, object?>("status", "rejected"));
        var status = new PkiStatusInfo((int)PkiStatus.Rejection, new PkiFreeText(text), new PkiFailureInfo(failureInfo));
        return new TimeStampResp(status, null).GetEncoded(Asn1Encodable.Der);
    }
}
