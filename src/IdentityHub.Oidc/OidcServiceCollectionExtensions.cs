using IdentityHub.Authentication.Assurance;
using IdentityHub.Data;
using IdentityHub.Hsm;
using IdentityHub.Oidc.SigningKeys;
using IdentityHub.Oidc.BackChannelLogout;
using IdentityHub.Oidc.Consent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Oidc;

/// <summary>
/// The OpenID provider on OpenIddict (decision 0001): authorization code with PKCE S256 for every client, refresh
/// tokens with rotation, client credentials; ES256 tokens signed in the HSM; codes and refresh tokens protected by the
/// hub's Data Protection key ring, itself under an HSM key (decision 0012), so every node reads every other's.
/// </summary>
public static class OidcServiceCollectionExtensions
{
    public const string AuthorizePath = "/connect/authorize";
    public const string TokenPath = "/connect/token";
    public const string UserInfoPath = "/connect/userinfo";
    public const string EndSessionPath = "/connect/logout";
    public const string JwksPath = "/.well-known/jwks";
    public const string PushedAuthorizationPath = "/connect/par";
    public const string IntrospectionPath = "/connect/introspect";
    public const string RevocationPath = "/connect/revoke";

    /// <summary>The client registry alone (OpenIddict's stores in PostgreSQL): what hubctl needs without a server.</summary>
    public static IServiceCollection AddIdentityHubOidcClients(this IServiceCollection services)
    {
        services.AddOpenIddict().AddCore(core =>
        {
            core.UseEntityFrameworkCore().UseDbContext<HubDbContext>();
            // A client secret verified once skips PBKDF2 for 5 minutes in this process (decision 0021).
            core.ReplaceApplicationManager(typeof(CachingApplicationManager<>));
        });
        services.TryAddSingleton<ClientSecretCache>();
        services.TryAddScoped<OidcClients>();
        services.AddIdentityHubBackChannelLogoutQueue();
        services.TryAddScoped<AgencyFormTargets>();
        return services;
    }

    public static IServiceCollection AddIdentityHubOidc(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(OidcOptions.SectionName);
        services.AddOptions<OidcOptions>().Bind(section);
        var options = section.Get<OidcOptions>() ?? new OidcOptions();
        var cultures = configuration.GetSection("Localization:SupportedCultures").Get<string[]>() is { Length: > 0 } configured ? configured : ["en"];

        services.AddIdentityHubOidcClients();
        services.TryAddScoped<OidcPrincipals>();
        services.TryAddScoped<AccessTokens>();
        services.TryAddScoped<IdentityHub.Authentication.Agencies.IAgencyAccess>(sp => sp.GetRequiredService<AccessTokens>());
        services.TryAddScoped<Dpop.DpopProofs>();
        services.AddIdentityHubOidcSigningKeys(configuration);
        services.AddIdentityHubBackChannelLogout();
        services.AddIdentityHubOidcConsent();

        services.AddOpenIddict()
            .AddServer(server =>
            {
                if (!string.IsNullOrEmpty(options.Issuer))
                {
                    server.SetIssuer(new Uri(options.Issuer, UriKind.Absolute));
                }

                server.SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/'))
                    .SetTokenEndpointUris(TokenPath.TrimStart('/'))
                    .SetUserInfoEndpointUris(UserInfoPath.TrimStart('/'))
                    .SetEndSessionEndpointUris(EndSessionPath.TrimStart('/'))
                    .SetJsonWebKeySetEndpointUris(JwksPath.TrimStart('/'))
                    .SetPushedAuthorizationEndpointUris(PushedAuthorizationPath.TrimStart('/'))
                    .SetIntrospectionEndpointUris(IntrospectionPath.TrimStart('/'))
                    .SetRevocationEndpointUris(RevocationPath.TrimStart('/'));

                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow();

                // PKCE with S256 only: "plain" would hand the verifier to whoever sees the authorization request.
                server.Configure(o =>
                {
                    o.CodeChallengeMethods.Clear();
                    o.CodeChallengeMethods.Add(CodeChallengeMethods.Sha256);
                    // The code comes back in the query only: form_post would need an auto-submitting page the hub's CSP
                    // (form-action 'self', no inline script) forbids, and a code in the fragment is for implicit-era clients.
                    o.ResponseModes.Clear();
                    o.ResponseModes.Add(ResponseModes.Query);
                    o.SubjectTypes.Clear();
                    o.SubjectTypes.Add(SubjectTypes.Pairwise);
                    o.RequestTokenLifetime = options.PushedRequestLifetime;
                });

                server.RegisterScopes([.. OidcScopes.All]);
                server.RegisterClaims([Claims.Subject, Claims.AuthenticationContextReference, Claims.AuthenticationMethodReference,
                    Claims.AuthenticationTime, "sid", Claims.GivenName, Claims.FamilyName, Claims.Birthdate, OidcClaims.NationalId]);

                server.AddEventHandler(ClientAssertionTypes.Descriptor);
                server.AddEventHandler(ClientAssertionReplay.Descriptor);
                server.AddEventHandler(DisabledClients.Descriptor);
                server.AddEventHandler(ClientAssertionErrors<OpenIddictServerEvents.ApplyTokenResponseContext>.Descriptor);
                server.AddEventHandler(ClientAssertionErrors<OpenIddictServerEvents.ApplyPushedAuthorizationResponseContext>.Descriptor);
                server.AddEventHandler(ClientAssertionErrors<OpenIddictServerEvents.ApplyIntrospectionResponseContext>.Descriptor);
                server.AddEventHandler(ClientAssertionErrors<OpenIddictServerEvents.ApplyRevocationResponseContext>.Descriptor);
                // OpenIddict's proof-of-possession check knows only mTLS (cnf.x5t#S256) and throws on a DPoP cnf.jkt; the
                // hub offers no mTLS-bound tokens, and checks DPoP bindings itself (decision 0017).
                server.RemoveEventHandler(OpenIddictServerHandlers.Protection.ValidateProofOfPossession.Descriptor);
                foreach (var descriptor in Dpop.DpopHandlers.Descriptors)
                {
                    server.AddEventHandler(descriptor);
                }
                server.UseRotatingSigningKeys();

                // Discovery says what the hub does: pairwise subjects only, and the eIDAS levels it can assert.
                server.AddEventHandler<OpenIddictServerEvents.HandleConfigurationRequestContext>(handler => handler.UseInlineHandler(context =>
                {
                    context.Metadata["acr_values_supported"] = new OpenIddict.Abstractions.OpenIddictParameter(
                        [LevelsOfAssurance.LowUri, LevelsOfAssurance.SubstantialUri, LevelsOfAssurance.HighUri]);
                    context.Metadata["claims_parameter_supported"] = true;
                    context.Metadata["claims_locales_supported"] = new OpenIddict.Abstractions.OpenIddictParameter([.. cultures]);
                    context.Metadata["ui_locales_supported"] = new OpenIddict.Abstractions.OpenIddictParameter([.. cultures]);
                    context.Metadata["request_parameter_supported"] = false;
                    context.Metadata["dpop_signing_alg_values_supported"] = new OpenIddict.Abstractions.OpenIddictParameter([.. Dpop.DpopProofs.Algorithms]);
                    // The prompt values the hub acts on (select_account is accepted but there is one account per citizen).
                    context.Metadata["prompt_values_supported"] = new OpenIddict.Abstractions.OpenIddictParameter(["none", "login", "consent"]);
                    return default;
                })
                // After OpenIddict's own metadata, which says claims_parameter_supported false (it does not read claims; the hub does).
                .SetOrder(OpenIddictServerHandlers.Discovery.AttachAdditionalMetadata.Descriptor.Order + 1_000));

                server.SetAuthorizationCodeLifetime(options.AuthorizationCodeLifetime)
                    .SetAccessTokenLifetime(options.AccessTokenLifetime)
                    .SetIdentityTokenLifetime(options.IdentityTokenLifetime)
                    .SetRefreshTokenLifetime(options.RefreshTokenLifetime)
                    // A refresh token works once: a second use revokes every token of its grant (the family), at once.
                    .SetRefreshTokenReuseLeeway(TimeSpan.Zero);

                // JWT access tokens (RFC 9068) that resource servers verify with the JWKS; not encrypted.
                server.DisableAccessTokenEncryption();

                // Codes and refresh tokens in the Data Protection format: the key ring every node shares, under the HSM.
                // OpenIddict still insists on an encryption key; with every token it would protect in Data Protection's
                // format or signed only, an ephemeral one is never used to protect anything a second node must read.
                server.UseDataProtection().PreferDefaultAccessTokenFormat();
                server.AddEphemeralEncryptionKey();

                var aspNetCore = server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
                if (!options.RequireHttps)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });
        return services;
    }
}
