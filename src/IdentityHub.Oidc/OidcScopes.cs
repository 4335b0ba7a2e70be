namespace IdentityHub.Oidc;

/// <summary>The scopes the hub knows, and the claims each releases (docs/oidc.md "Scopes and claims").</summary>
public static class OidcScopes
{
    public const string OpenId = "openid";

    /// <summary>given_name, family_name, birthdate.</summary>
    public const string Profile = "profile";

    /// <summary>The national identifier ("national_id"): only for clients entitled to it.</summary>
    public const string NationalId = "national_id";

    public const string OfflineAccess = "offline_access";

    /// <summary>
    /// Remote signing for the citizen (the CSC API at /csc/v2/, issue 10 point 5): the access token lets the client list
    /// the citizen's signature credential and ask for signatures, each still activated by the citizen (SCAL2).
    /// </summary>
    public const string Signing = "signing";

    /// <summary>An agency asks citizens to sign documents and fetches them (the agency signing API, client credentials).</summary>
    public const string SignatureRequests = "signature_requests";

    /// <summary>An agency validates signed documents (the agency signing API, client credentials).</summary>
    public const string SignatureValidation = "signature_validation";

    public static IReadOnlyList<string> All { get; } = [OpenId, Profile, NationalId, OfflineAccess, Signing, SignatureRequests, SignatureValidation];
}

/// <summary>Claim names the hub issues besides the standard ones.</summary>
public static class OidcClaims
{
    public const string NationalId = "national_id";

    /// <summary>
    /// The account, sealed with Data Protection (fresh randomness each time, so two tokens never share a value): lets
    /// userinfo find the person without putting a cross-agency identifier in an access token.
    /// </summary>
    public const string SealedAccount = "hub_acct";
}
