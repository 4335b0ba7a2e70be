using System.Text.Json.Serialization;

namespace IdentityHub.Signing.Csc;

// Request and response bodies of the Cloud Signature Consortium API v2.0 subset the hub serves (§11.1 info, §11.4
// credentials/list, §11.5 credentials/info, §11.6 credentials/authorize, §11.9 signatures/signHash). Member names are
// the specification's; members the hub does not use are ignored when sent and never answered.

public sealed record CscInfoResponse(
    [property: JsonPropertyName("specs")] string Specs,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("logo")] string Logo,
    [property: JsonPropertyName("region")] string Region,
    [property: JsonPropertyName("lang")] string Lang,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("authType")] IReadOnlyList<string> AuthType,
    [property: JsonPropertyName("oauth2")] string OAuth2,
    [property: JsonPropertyName("oauth2Issuer")] string OAuth2Issuer,
    [property: JsonPropertyName("methods")] IReadOnlyList<string> Methods);

public sealed record CscListRequest(
    [property: JsonPropertyName("credentialInfo")] bool? CredentialInfo,
    [property: JsonPropertyName("certificates")] string? Certificates,
    [property: JsonPropertyName("certInfo")] bool? CertInfo);

public sealed record CscListResponse(
    [property: JsonPropertyName("credentialIDs")] IReadOnlyList<string> CredentialIds,
    [property: JsonPropertyName("credentialInfos")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<CscCredentialInfo>? CredentialInfos);

public sealed record CscInfoRequest(
    [property: JsonPropertyName("credentialID")] string? CredentialId,
    [property: JsonPropertyName("certificates")] string? Certificates,
    [property: JsonPropertyName("certInfo")] bool? CertInfo);

public sealed record CscKey(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("algo")] IReadOnlyList<string> Algo,
    [property: JsonPropertyName("len")] int Len,
    [property: JsonPropertyName("curve")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    string? Curve);

public sealed record CscCert(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("certificates")] IReadOnlyList<string> Certificates,
    [property: JsonPropertyName("issuerDN")] string? IssuerDn,
    [property: JsonPropertyName("serialNumber")] string? SerialNumber,
    [property: JsonPropertyName("subjectDN")] string? SubjectDn,
    [property: JsonPropertyName("validFrom")] string? ValidFrom,
    [property: JsonPropertyName("validTo")] string? ValidTo);

public sealed record CscCredentialInfo(
    [property: JsonPropertyName("credentialID")] string CredentialId,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("signatureQualifier")] string SignatureQualifier,
    [property: JsonPropertyName("key")] CscKey Key,
    [property: JsonPropertyName("cert")] CscCert Cert,
    [property: JsonPropertyName("authMode")] string AuthMode,
    [property: JsonPropertyName("SCAL")] string Scal,
    [property: JsonPropertyName("multisign")] int Multisign,
    [property: JsonPropertyName("lang")] string Lang);

public sealed record CscAuthData(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("value")] string? Value);

/// <summary>A CSC call about hashes to sign with one credential (credentials/authorize, signatures/signHash).</summary>
public interface ICscHashesRequest
{
    string? CredentialId { get; }

    IReadOnlyList<string>? Hashes { get; }
}

public sealed record CscAuthorizeRequest(
    [property: JsonPropertyName("credentialID")] string? CredentialId,
    [property: JsonPropertyName("numSignatures")] int? NumSignatures,
    [property: JsonPropertyName("hashes")] IReadOnlyList<string>? Hashes,
    [property: JsonPropertyName("hashAlgorithmOID")] string? HashAlgorithmOid,
    [property: JsonPropertyName("authData")] IReadOnlyList<CscAuthData>? AuthData,
    [property: JsonPropertyName("description")] string? Description) : ICscHashesRequest;

public sealed record CscAuthorizeResponse(
    [property: JsonPropertyName("SAD")] string Sad,
    [property: JsonPropertyName("expiresIn")] long ExpiresIn);

public sealed record CscSignHashRequest(
    [property: JsonPropertyName("credentialID")] string? CredentialId,
    [property: JsonPropertyName("SAD")] string? Sad,
    [property: JsonPropertyName("hashes")] IReadOnlyList<string>? Hashes,
    [property: JsonPropertyName("hashAlgorithmOID")] string? HashAlgorithmOid,
    [property: JsonPropertyName("signAlgo")] string? SignAlgo,
    [property: JsonPropertyName("signAlgoParams")] string? SignAlgoParams,
    [property: JsonPropertyName("operationMode")] string? OperationMode) : ICscHashesRequest;

public sealed record CscSignHashResponse([property: JsonPropertyName("signatures")] IReadOnlyList<string> Signatures);

/// <summary>The CSC error body (§10.1): an OAuth-style code and a description, never a secret.</summary>
public sealed record CscError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);
