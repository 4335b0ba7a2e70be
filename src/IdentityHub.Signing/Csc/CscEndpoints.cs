using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using IdentityHub.Core.Keys;
using IdentityHub.Authentication.Agencies;
using IdentityHub.Pki.Authorities;
using IdentityHub.Signing.Signers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace IdentityHub.Signing.Csc;

/// <summary>
/// The Cloud Signature Consortium API v2.0 subset for remote-signing clients (issue 10 point 5): info (public),
/// credentials/list, credentials/info, credentials/authorize and signatures/signHash, with OAuth access from the hub's
/// own OpenID provider (the citizen's authorization code flow with scope "signing"). The citizen's one credential is
/// their eID's qualified signature key; its credentialID is the key id. Authorization is explicit at SCAL2: the SAD is
/// bound to the hashes (<see cref="CscSigning"/>).
/// </summary>
public static class CscEndpoints
{
    public const string BasePath = "/csc/v2";

    /// <summary>The OpenAPI document these endpoints belong to: GET /openapi/csc-v2.json.</summary>
    public const string OpenApiDocument = "csc-v2";

    /// <summary>The OAuth scope a citizen's access token needs here; the OpenID provider offers it as OidcScopes.Signing.</summary>
    public const string Scope = "signing";

    public static IEndpointRouteBuilder MapIdentityHubCsc(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var csc = endpoints.MapGroup(BasePath).WithTags("CSC").WithGroupName(OpenApiDocument);
        csc.MapPost("/info", Info).WithName("CscInfo")
            .WithSummary("The remote signing service: specs, auth types, OAuth 2.0 authorization server, methods (no token needed).")
            .Produces<CscInfoResponse>();
        csc.MapPost("/credentials/list", ListAsync).WithName("CscCredentialsList")
            .WithSummary("The citizen's signature credential ids (the eID's qualified signature key).")
            .Accepts<CscListRequest>("application/json").Produces<CscListResponse>().Produces<CscError>(400).Produces<CscError>(401).Produces<CscError>(403);
        csc.MapPost("/credentials/info", InfoAsync).WithName("CscCredentialsInfo")
            .WithSummary("Key, certificate (none, single or chain), authMode explicit and SCAL 2 of a credential.")
            .Accepts<CscInfoRequest>("application/json").Produces<CscCredentialInfo>().Produces<CscError>(400).Produces<CscError>(401).Produces<CscError>(403);
        csc.MapPost("/credentials/authorize", CscSigning.AuthorizeAsync).WithName("CscCredentialsAuthorize")
            .WithSummary("SCAL2 authorization for exactly the given hashes with the citizen's TOTP code (authData id \"OTP\"): returns a single-use SAD.")
            .Accepts<CscAuthorizeRequest>("application/json").Produces<CscAuthorizeResponse>().Produces<CscError>(400).Produces<CscError>(401).Produces<CscError>(403);
        csc.MapPost("/signatures/signHash", CscSigning.SignHashAsync).WithName("CscSignaturesSignHash")
            .WithSummary("Signs the hashes the SAD was issued for, once; ECDSA values are DER Ecdsa-Sig-Value, base64.")
            .Accepts<CscSignHashRequest>("application/json").Produces<CscSignHashResponse>().Produces<CscError>(400).Produces<CscError>(401).Produces<CscError>(403);
        return endpoints;
    }

    private static IResult Info(HttpContext http)
    {
        var issuer = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        return Results.Json(new CscInfoResponse("2.0.0.0", "IdentityHub", issuer + "/favicon.svg", "EU", "en",
            "Qualified electronic signatures with the citizen's eID key, under their sole control (SCAL2).",
            ["oauth2code"], issuer + "/", issuer + "/",
            ["credentials/list", "credentials/info", "credentials/authorize", "signatures/signHash"]));
    }

    private static async Task<IResult> ListAsync(HttpContext http, IAgencyAccess tokens, CitizenSigners signers, PkiKeyring keyring, IOptions<SigningOptions> options, CancellationToken ct)
    {
        var call = await CscRequests.ReadAsync(http, tokens, signers, ct, whenEmpty: new CscListRequest(null, null, null));
        if (call.Error is not null)
        {
            return call.Error;
        }

        if (call.Credential is not { } credential)
        {
            return Results.Json(new CscListResponse([], call.Body!.CredentialInfo == true ? [] : null));
        }

        var infos = call.Body!.CredentialInfo == true
            ? new[] { await CredentialInfoAsync(credential, call.Body.Certificates, call.Body.CertInfo ?? false, keyring, options.Value, ct) }
            : null;
        return Results.Json(new CscListResponse([credential.KeyId], infos));
    }

    private static async Task<IResult> InfoAsync(HttpContext http, IAgencyAccess tokens, CitizenSigners signers, PkiKeyring keyring, IOptions<SigningOptions> options, CancellationToken ct)
    {
        var call = await CscRequests.ReadAsync<CscInfoRequest>(http, tokens, signers, ct);
        if (call.Error is not null)
        {
            return call.Error;
        }

        if (call.Credential is not { } credential || !string.Equals(call.Body!.CredentialId, credential.KeyId, StringComparison.Ordinal))
        {
            return CscErrors.BadRequest("Invalid parameter credentialID");
        }

        if (call.Body.Certificates is not (null or "none" or "single" or "chain"))
        {
            return CscErrors.BadRequest("Invalid parameter certificates");
        }

        return Results.Json(await CredentialInfoAsync(credential, call.Body.Certificates, call.Body.CertInfo ?? false, keyring, options.Value, ct));
    }

    /// <summary>CSC §11.5's answer for the citizen's credential: "single" (the default) gives the end-entity certificate.</summary>
    private static async Task<CscCredentialInfo> CredentialInfoAsync(
        CitizenSignatureCredential credential, string? certificates, bool certInfo, PkiKeyring keyring, SigningOptions options, CancellationToken ct)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(credential.CertificateDer);
        IReadOnlyList<string> chain = (certificates ?? "single") switch
        {
            "none" => [],
            "chain" => [Convert.ToBase64String(credential.CertificateDer), .. (await keyring.ChainAsync(credential.CertificateIssuer, ct)).Select(Convert.ToBase64String)],
            _ => [Convert.ToBase64String(credential.CertificateDer)],
        };
        var now = DateTimeOffset.UtcNow;
        var valid = certificate.NotBefore.ToUniversalTime() <= now && now <= certificate.NotAfter.ToUniversalTime();
        return new CscCredentialInfo(
            credential.KeyId,
            "Qualified signature key of eID " + credential.DocumentNumber,
            "eu_eidas_qes",
            new CscKey("enabled", CscAlgorithms.Offered(credential.Algorithm), credential.Algorithm.KeySizeInBits(), CscAlgorithms.CurveOf(credential.Algorithm)),
            new CscCert(valid ? "valid" : "expired", chain,
                certInfo ? certificate.Issuer : null,
                certInfo ? certificate.SerialNumber.ToLowerInvariant() : null,
                certInfo ? certificate.Subject : null,
                certInfo ? GeneralizedTime(certificate.NotBefore) : null,
                certInfo ? GeneralizedTime(certificate.NotAfter) : null),
            "explicit", "2", options.MaxBatchDocuments, "en");
    }

    /// <summary>CSC §11.5: validFrom / validTo as GeneralizedTime, YYYYMMDDHHMMSSZ.</summary>
    private static string GeneralizedTime(DateTime time) =>
        time.ToUniversalTime().ToString("yyyyMMddHHmmss'Z'", CultureInfo.InvariantCulture);
}
