using IdentityHub.Authentication.Assurance;
using IdentityHub.Data;
using IdentityHub.Hsm;
using IdentityHub.Hsm.Tokens;
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

    /// <summary>The client registry alone (OpenIddict's stores in PostgreSQL): what hubctl needs without a server.</summary>
    public static IServiceCollection AddIdentityHubOidcClients(this IServiceCollection services)
    {
        services.AddOpenIddict().AddCore(core => core.UseEntityFrameworkCore().UseDbContext<HubDbContext>());
        services.TryAddScoped<OidcClients>();
        return services;
    }

    public static IServiceCollection AddIdentityHubOidc(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(OidcOptions.SectionName);
        services.AddOptions<OidcOptions>().Bind(section);
        var options = section.Get<OidcOptions>() ?? new OidcOptions();

        services.AddIdentityHubOidcClients();
        services.TryAddSingleton(sp => new PairwiseSubjects(new TokenHmac(sp.GetRequiredService<HsmKeyStore>(), PairwiseSubjects.KeyLabel)));
        services.TryAddScoped<OidcPrincipals>();
        services.AddIdentityHubOidcConsent();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, ProtocolSigningCredentials>();

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
                    .SetJsonWebKeySetEndpointUris(JwksPath.TrimStart('/'));

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
                });

                server.RegisterScopes([.. OidcScopes.All]);
                server.RegisterClaims([Claims.Subject, Claims.AuthenticationContextReference, Claims.AuthenticationMethodReference,
                    Claims.AuthenticationTime, "sid", Claims.GivenName, Claims.FamilyName, Claims.Birthdate, OidcClaims.NationalId]);

                server.AddEventHandler(ClientAssertionTypes.Descriptor);
                server.AddEventHandler(ClientAssertionReplay.Descriptor);

                // Discovery says what the hub does: pairwise subjects only, and the eIDAS levels it can assert.
                server.AddEventHandler<OpenIddictServerEvents.HandleConfigurationRequestContext>(handler => handler.UseInlineHandler(context =>
                {
                    context.Metadata["acr_values_supported"] = new OpenIddict.Abstractions.OpenIddictParameter(
                        [LevelsOfAssurance.LowUri, LevelsOfAssurance.SubstantialUri, LevelsOfAssurance.HighUri]);
                    context.Metadata["claims_parameter_supported"] = false;
                    context.Metadata["request_parameter_supported"] = false;
                    return default;
                }));

                server.SetAuthorizationCodeLifetime(options.AuthorizationCodeLifetime)
                    .SetAccessTokenLifetime(options.AccessTokenLifetime)
                    .SetIdentityTokenLifetime(options.IdentityTokenLifetime)
                    .SetRefreshTokenLifetime(options.RefreshTokenLifetime);

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
