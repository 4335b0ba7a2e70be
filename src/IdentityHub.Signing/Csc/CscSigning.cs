using System.Globalization;
using IdentityHub.Authentication.Agencies;
using IdentityHub.Signing.Activation;
using IdentityHub.Signing.Signers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityHub.Signing.Csc;

/// <summary>
/// credentials/authorize and signatures/signHash (CSC §11.6, §11.9) over the hub's signature activation: authorize at
/// SCAL2 prepares an activation for exactly the hashes sent and confirms it with the citizen's TOTP code (authData
/// "OTP"), so the SAD it returns is bound to those hashes, that key and that citizen; signHash signs only through
/// <see cref="SignatureGate"/>, which consumes the activation for exactly the hashes presented, once.
/// </summary>
internal static class CscSigning
{
    private const string OtpAuthData = "OTP";

    public static async Task<IResult> AuthorizeAsync(
        HttpContext http, IAgencyAccess tokens, CitizenSigners signers, SignatureActivations activations, ActivationConfirmations confirmations,
        CscSads sads, IOptions<SigningOptions> options, ILogger<CscSads> logger, CancellationToken ct)
    {
        // SCAL2 (§8.2.2): the hashes are part of the authorization, so they are required here, and numSignatures says how many.
        var (call, _, hashes, error) = await ReadHashesAsync<CscAuthorizeRequest>(http, tokens, signers, ct);
        if (error is not null)
        {
            return error;
        }

        var body = call.Body!;
        if (body.NumSignatures != hashes.Count)
        {
            return CscErrors.BadRequest("numSignatures must equal the number of hashes");
        }

        var hashAlgorithm = body.HashAlgorithmOid ?? ActivationHashes.Sha256Oid;
        if (ActivationHashes.LengthOf(hashAlgorithm) == 0)
        {
            return CscErrors.BadRequest("Invalid parameter hashAlgorithmOID");
        }

        if (hashes.Count > options.Value.MaxBatchDocuments || hashes.Any(h => h.Length != ActivationHashes.LengthOf(hashAlgorithm)))
        {
            return CscErrors.BadRequest(hashes.Count > options.Value.MaxBatchDocuments
                ? $"At most {options.Value.MaxBatchDocuments} hashes per authorization"
                : "Invalid parameter hashes: a hash has the wrong length for hashAlgorithmOID");
        }

        if (body.AuthData?.FirstOrDefault(a => string.Equals(a?.Id, OtpAuthData, StringComparison.Ordinal))?.Value is not { Length: > 0 } otp)
        {
            return CscErrors.BadRequest("Missing authData: explicit authorization needs { \"id\": \"OTP\", \"value\": <the code of the citizen's authenticator app> }");
        }

        var label = string.IsNullOrWhiteSpace(body.Description) ? "hash" : body.Description.Trim();
        var documents = hashes.Select((h, i) => new DocumentToSign(hashes.Count == 1 ? label : string.Create(CultureInfo.InvariantCulture, $"{label} {i + 1}"), 0, h)).ToList();
        var prepared = await activations.PrepareAsync(new ActivationRequest(call.Citizen!.Id, documents, hashAlgorithm, call.ClientId,
            http.Connection.RemoteIpAddress?.ToString()), ct);
        if (!prepared.Succeeded)
        {
            return CscErrors.BadRequest("The signature cannot be authorized: " + prepared.Error);
        }

        var confirmed = await confirmations.ConfirmTotpAsync(prepared.Activation!.Id, call.Citizen, otp, ct);
        if (!confirmed.Succeeded)
        {
            return CscErrors.BadRequest(confirmed.Error == ActivationError.LockedOut
                ? "The account is locked after too many failed attempts"
                : "Invalid OTP");
        }

        var sad = await sads.IssueAsync(prepared.Activation.Id, call.Citizen.Id, ct);
        logger.SadIssued(prepared.Activation.Id, hashes.Count);
        return Results.Json(new CscAuthorizeResponse(sad, (long)options.Value.ActivationLifetime.TotalSeconds));
    }

    public static async Task<IResult> SignHashAsync(
        HttpContext http, IAgencyAccess tokens, CitizenSigners signers, SignatureGate gate, CscSads sads, ILogger<CscSads> logger, CancellationToken ct)
    {
        var (call, credential, hashes, error) = await ReadHashesAsync<CscSignHashRequest>(http, tokens, signers, ct);
        if (error is not null)
        {
            return error;
        }

        var body = call.Body!;
        if (ActivationHashes.AlgorithmOf(body.HashAlgorithmOid) is not { } hashAlgorithm)
        {
            return CscErrors.BadRequest("Invalid parameter hashAlgorithmOID");
        }

        if (!CscAlgorithms.Fits(body.SignAlgo, body.HashAlgorithmOid!, credential.Algorithm))
        {
            return CscErrors.BadRequest("Invalid parameter signAlgo");
        }

        if (body.OperationMode is not (null or "S"))
        {
            return CscErrors.BadRequest("Only synchronous operation (operationMode \"S\") is offered");
        }

        if (await sads.ActivationOfAsync(body.Sad, call.Citizen!.Id, ct) is not { } activationId)
        {
            return CscErrors.BadRequest("Invalid SAD");
        }

        // The gate consumes the activation only for exactly these hashes, this citizen and this key, once.
        var opened = await gate.OpenAsync(activationId, call.Citizen.Id, hashes, ct);
        if (!opened.Succeeded)
        {
            logger.SignHashRefused(activationId, opened.Refusal.Code());
            return CscErrors.BadRequest(opened.Refusal switch
            {
                ConsumeRefusal.OtherHashes => "The hashes are not the ones the SAD was issued for",
                ConsumeRefusal.Expired => "SAD expired",
                ConsumeRefusal.AlreadyUsed => "The SAD was used already",
                _ => "Invalid SAD",
            });
        }

        var signatures = hashes.Select(h => Convert.ToBase64String(CscAlgorithms.Sign(opened.Signer!.Key, h, hashAlgorithm))).ToList();
        return Results.Json(new CscSignHashResponse(signatures));
    }

    /// <summary>The call, the credential it names (the citizen's own) and its hashes decoded; or the CSC error to answer.</summary>
    private static async Task<(CscCall<T> Call, CitizenSignatureCredential Credential, List<byte[]> Hashes, IResult? Error)> ReadHashesAsync<T>(
        HttpContext http, IAgencyAccess tokens, CitizenSigners signers, CancellationToken ct)
        where T : class, ICscHashesRequest
    {
        var call = await CscRequests.ReadAsync<T>(http, tokens, signers, ct);
        if (call.Error is not null)
        {
            return (call, null!, [], call.Error);
        }

        var body = call.Body!;
        if (call.Credential is not { } credential || !string.Equals(body.CredentialId, credential.KeyId, StringComparison.Ordinal))
        {
            return (call, null!, [], CscErrors.BadRequest("Invalid parameter credentialID"));
        }

        return CscRequests.Hashes(body.Hashes) is { Count: > 0 } hashes
            ? (call, credential, hashes, null)
            : (call, credential, [], CscErrors.BadRequest(body.Hashes is null or { Count: 0 } ? "Missing (or invalid type) array parameter hashes" : "Invalid Base64 hashes string parameter"));
    }
}
