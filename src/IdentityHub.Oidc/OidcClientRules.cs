using Microsoft.IdentityModel.Tokens;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Oidc;

/// <summary>
/// What a client registration must be before it is stored: a bad configuration is refused with the field named.
/// </summary>
internal static class OidcClientRules
{
    public static OidcClientResult? Validate(OidcClientSpec spec)
    {
        if (string.IsNullOrWhiteSpace(spec.ClientId) || spec.ClientId.Length > 100 || spec.ClientId.Any(c => c is < '!' or > '~'))
        {
            return new OidcClientResult("client_id", "Give a client id of 1 to 100 printable ASCII characters without spaces.");
        }

        if (string.IsNullOrWhiteSpace(spec.DisplayName))
        {
            return new OidcClientResult("display_name", "Give the name citizens will see for this agency.");
        }

        if (spec.ClientSecret is { Length: < 32 })
        {
            return new OidcClientResult("client_secret", "A client secret has at least 32 characters; better, use private_key_jwt.");
        }

        if (spec.Jwks is not null && JwksProblem(spec.Jwks) is { } jwksProblem)
        {
            return new OidcClientResult("jwks", jwksProblem);
        }

        if (spec.RedirectUris.Count == 0 && !spec.AllowClientCredentials)
        {
            return new OidcClientResult("redirect_uris", "Give at least one redirect URI (or allow client credentials for a back-end).");
        }

        if (spec.AllowClientCredentials && spec.ClientSecret is null && spec.Jwks is null)
        {
            return new OidcClientResult("client_secret", "Client credentials need a confidential client: give a secret or a JWKS.");
        }

        foreach (var (field, uris) in new[] { ("redirect_uris", spec.RedirectUris), ("post_logout_redirect_uris", spec.PostLogoutRedirectUris) })
        {
            foreach (var value in uris)
            {
                if (RedirectProblem(value) is { } why)
                {
                    return new OidcClientResult(field, $"{value}: {why}");
                }
            }
        }

        // Back-Channel Logout 1.0 §2.2: absolute, no fragment; https like redirect URIs (http only to loopback).
        if (spec.BackChannelLogoutUri is { } logout && (Uri.TryCreate(logout, UriKind.Absolute, out var logoutUri) && !string.IsNullOrEmpty(logoutUri.Fragment)
            ? "a back-channel logout URI has no fragment (Back-Channel Logout 1.0 §2.2)."
            : RedirectProblem(logout)) is { } logoutProblem)
        {
            return new OidcClientResult("backchannel_logout_uri", $"{logout}: {logoutProblem}");
        }

        if (spec.Sector is null && spec.RedirectUris.Select(u => new Uri(u).Host).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1)
        {
            return new OidcClientResult("sector", "The redirect URIs name more than one host: give the sector identifier their subjects belong to.");
        }

        if (spec.Scopes.FirstOrDefault(s => !OidcScopes.All.Contains(s)) is { } unknown)
        {
            return new OidcClientResult("scopes", $"Unknown scope '{unknown}'; the hub knows {string.Join(", ", OidcScopes.All)}.");
        }

        if (spec.Profile is not (OidcClientProfiles.Standard or OidcClientProfiles.Fapi2))
        {
            return new OidcClientResult("profile", $"Unknown profile '{spec.Profile}': use {OidcClientProfiles.Standard} or {OidcClientProfiles.Fapi2}.");
        }

        if (spec.Profile == OidcClientProfiles.Fapi2 && (spec.Jwks is null || spec.ClientSecret is not null))
        {
            return new OidcClientResult("profile", "A FAPI 2.0 client authenticates with private_key_jwt: register its JWKS and no client secret.");
        }

        if (spec.Contacts.FirstOrDefault(c => c.Length > 254 || !System.Net.Mail.MailAddress.TryCreate(c, out var a) || a.Address != c) is { } contact)
        {
            return new OidcClientResult("contacts", $"'{contact}' is not an e-mail address.");
        }

        if (SigningKeys.ClientSigningAlgorithm.Problem(spec.SigningAlgorithm) is { } signingAlg)
        {
            return new OidcClientResult("signing_alg", signingAlg);
        }

        return null;
    }

    private static string? JwksProblem(string jwks)
    {
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(jwks);
        }
        catch (ArgumentException ex)
        {
            return "not a JWKS document: " + ex.Message;
        }

        if (set.Keys.Count == 0)
        {
            return "the JWKS holds no key.";
        }

        foreach (var key in set.Keys)
        {
            if (key.HasPrivateKey || !string.IsNullOrEmpty(key.K))
            {
                return $"key {key.Kid ?? "(no kid)"} has private or symmetric members: register public keys only.";
            }

            if (key.Kty is not ("EC" or "RSA"))
            {
                return $"key {key.Kid ?? "(no kid)"} is {key.Kty}: use EC (P-256) or RSA (2048 bits or more).";
            }

            if (key.Kty == "RSA" && Base64UrlEncoder.DecodeBytes(key.N).Length < 256)
            {
                return $"key {key.Kid ?? "(no kid)"} is RSA under 2048 bits.";
            }
        }

        return null;
    }

    private static string? RedirectProblem(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return "not an absolute URI.";
        }

        if (!string.IsNullOrEmpty(uri.Fragment))
        {
            return "a redirect URI has no fragment (RFC 6749 §3.1.2).";
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        return uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback ? null : "use https (plain http only to a loopback address).";
    }
}
