using System.Text.Json.Nodes;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityHub.Oidc.Dpop;

/// <summary>
/// DPoP (RFC 9449) on OpenIddict, which has none of it (decision 0017): proofs checked at the token and PAR endpoints,
/// the key's thumbprint carried in the authorization code (dpop_jkt) and the refresh token, the access token bound
/// with cnf.jkt and answered with token_type DPoP, and the DPoP scheme read at userinfo.
/// </summary>
internal static class DpopHandlers
{
    /// <summary>Transaction property: the jkt of the proof this token request carried.</summary>
    public const string JktProperty = "hub:dpop_jkt";

    /// <summary>Transaction property: the access token came with the DPoP scheme, not Bearer.</summary>
    public const string SchemeProperty = "hub:dpop_scheme";

    /// <summary>Private claim: the key the authorization request bound its code to (dpop_jkt, RFC 9449 §10).</summary>
    public const string CodeBindingClaim = "hub_dpop_jkt";

    /// <summary>Private claim: the key a refresh token's grant is bound to; every refresh proves it again.</summary>
    public const string GrantBindingClaim = "hub_cnf_jkt";

    public const string DpopJktParameter = "dpop_jkt";

    public static IEnumerable<OpenIddictServerHandlerDescriptor> Descriptors =>
    [
        TokenRequest.Descriptor, PushedRequest.Descriptor, BindIssuedTokens.Descriptor, TokenType.Descriptor, UserInfoScheme.Descriptor,
    ];

    /// <summary>The URL a client was told for an endpoint: the issuer's, so every node behind the balancer agrees.</summary>
    public static Uri EndpointUri(BaseContext context, string path)
    {
        var issuer = context.Options.Issuer ?? context.BaseUri ?? throw new InvalidOperationException("No issuer to check DPoP proofs against.");
        return new Uri(issuer.AbsoluteUri.TrimEnd('/') + path, UriKind.Absolute);
    }

    /// <summary>Token endpoint: checks the proof, the client's requirement and the binding of the code or refresh token.</summary>
    internal sealed class TokenRequest(DpopProofs proofs, IOpenIddictApplicationManager applications) : IOpenIddictServerHandler<ValidateTokenRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
                .UseScopedHandler<TokenRequest>()
                .SetOrder(OpenIddictServerHandlers.Exchange.ValidateGrantedScopes.Descriptor.Order + 1_000)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public async ValueTask HandleAsync(ValidateTokenRequestContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            var http = context.Transaction.GetHttpRequest() ?? throw new InvalidOperationException("DPoP needs the HTTP request.");
            var application = context.ClientId is { } clientId ? await applications.FindByClientIdAsync(clientId) : null;
            var required = application is not null && (await OidcClients.PolicyAsync(applications, application, default)).RequireDpop;
            var bound = context.AuthorizationCodePrincipal?.GetClaim(CodeBindingClaim)
                ?? (context.Request.IsRefreshTokenGrantType() ? context.RefreshTokenPrincipal?.GetClaim(GrantBindingClaim) : null);

            string? jkt = null;
            if (DpopProofs.IsPresent(http))
            {
                var check = await proofs.CheckAsync(http, EndpointUri(context, OidcServiceCollectionExtensions.TokenPath), accessToken: null, http.HttpContext.RequestAborted);
                if (!check.Succeeded)
                {
                    context.Reject(DpopProofs.InvalidProof, check.Problem);
                    return;
                }

                jkt = check.Jkt;
            }
            else if (required || bound is not null)
            {
                context.Reject(DpopProofs.InvalidProof, required
                    ? "This client must send a DPoP proof with every token request."
                    : "This grant is bound to a DPoP key: send a proof made with it.");
                return;
            }

            if (bound is not null && !string.Equals(bound, jkt, StringComparison.Ordinal))
            {
                context.Reject(Errors.InvalidGrant, "The DPoP proof is made with another key than the one this grant is bound to.");
                return;
            }

            if (jkt is not null)
            {
                context.Transaction.Properties[JktProperty] = jkt;
            }
        }
    }

    /// <summary>PAR endpoint: a proof binds the code to come to its key, as dpop_jkt would (RFC 9449 §10.1).</summary>
    internal sealed class PushedRequest(DpopProofs proofs) : IOpenIddictServerHandler<ValidatePushedAuthorizationRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ValidatePushedAuthorizationRequestContext>()
                .UseScopedHandler<PushedRequest>()
                .SetOrder(int.MaxValue - 100_000)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public async ValueTask HandleAsync(ValidatePushedAuthorizationRequestContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            var http = context.Transaction.GetHttpRequest() ?? throw new InvalidOperationException("DPoP needs the HTTP request.");
            var claimed = (string?)context.Request.GetParameter(DpopJktParameter);
            if (!DpopProofs.IsPresent(http))
            {
                return;
            }

            var check = await proofs.CheckAsync(http, EndpointUri(context, OidcServiceCollectionExtensions.PushedAuthorizationPath), accessToken: null, http.HttpContext.RequestAborted);
            if (!check.Succeeded)
            {
                context.Reject(DpopProofs.InvalidProof, check.Problem);
                return;
            }

            if (claimed is not null && !string.Equals(claimed, check.Jkt, StringComparison.Ordinal))
            {
                context.Reject(DpopProofs.InvalidProof, "dpop_jkt is not the thumbprint of the DPoP proof's key.");
                return;
            }

            context.Request.SetParameter(DpopJktParameter, check.Jkt);
        }
    }

    /// <summary>Binds what the token endpoint issues to the proof's key: cnf.jkt in the access token, the grant's refresh tokens.</summary>
    internal sealed class BindIssuedTokens : IOpenIddictServerHandler<ProcessSignInContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
                .UseSingletonHandler<BindIssuedTokens>()
                .SetOrder(OpenIddictServerHandlers.PrepareUserCodePrincipal.Descriptor.Order + 500)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(ProcessSignInContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (context.EndpointType != OpenIddictServerEndpointType.Token
                || !context.Transaction.Properties.TryGetValue(JktProperty, out var value) || value is not string jkt)
            {
                return default;
            }

            context.AccessTokenPrincipal?.SetClaim("cnf", new JsonObject { ["jkt"] = jkt });
            context.RefreshTokenPrincipal?.SetClaim(GrantBindingClaim, jkt);
            return default;
        }
    }

    /// <summary>A bound access token is announced as such: token_type DPoP (RFC 9449 §5).</summary>
    internal sealed class TokenType : IOpenIddictServerHandler<ApplyTokenResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
                .UseSingletonHandler<TokenType>()
                .SetOrder(int.MinValue + 100_000)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(ApplyTokenResponseContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (context.Response.AccessToken is not null && context.Transaction.Properties.ContainsKey(JktProperty))
            {
                context.Response.TokenType = DpopProofs.Scheme;
            }

            return default;
        }
    }

    /// <summary>Userinfo: reads "Authorization: DPoP &lt;token&gt;" (OpenIddict reads only Bearer); the endpoint checks the proof.</summary>
    internal sealed class UserInfoScheme : IOpenIddictServerHandler<ExtractUserInfoRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ExtractUserInfoRequestContext>()
                .UseSingletonHandler<UserInfoScheme>()
                .SetOrder(OpenIddictServerAspNetCoreHandlers.ExtractAccessToken<ExtractUserInfoRequestContext>.Descriptor.Order + 500)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(ExtractUserInfoRequestContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            var http = context.Transaction.GetHttpRequest() ?? throw new InvalidOperationException("DPoP needs the HTTP request.");
            string? authorization = http.Headers.Authorization;
            if (authorization is not null && authorization.StartsWith(DpopProofs.Scheme + " ", StringComparison.OrdinalIgnoreCase))
            {
                context.Transaction.Properties[SchemeProperty] = true;
                context.Request!.AccessToken = authorization[(DpopProofs.Scheme.Length + 1)..].Trim();
            }

            return default;
        }
    }
}
