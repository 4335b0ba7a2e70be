using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace AgencyPortal;

/// <summary>Signing citizens in through the hub: Microsoft's OpenID Connect handler and a cookie session.</summary>
public static class HubSignIn
{
    public static IServiceCollection AddHubSignIn(this IServiceCollection services)
    {
        services.AddOptions<HubSettings>().BindConfiguration(HubSettings.Section)
            .Validate(hub => hub.Authority is { IsAbsoluteUri: true }, "Hub:Authority must be the hub's issuer URL.")
            .Validate(hub => hub.ClientId.Length > 0, "Hub:ClientId is required.")
            .Validate(hub => File.Exists(hub.ClientKeyFile), "Hub:ClientKeyFile must name the PEM file of the client's key.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ClientAssertions>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(options => options.Cookie.Name = "agency.session")
            .AddOpenIdConnect();
        services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
            .Configure<IOptions<HubSettings>>((options, settings) => UseHub(options, settings.Value));
        return services;
    }

    private static void UseHub(OpenIdConnectOptions options, HubSettings hub)
    {
        // Discovery, the JWKS and the endpoints come from the issuer; plain http only to a hub on this machine.
        options.Authority = hub.Authority!.ToString();
        options.RequireHttpsMetadata = !hub.Authority.IsLoopback;
        options.ClientId = hub.ClientId;

        // Authorization code with PKCE S256; the hub answers in the query only.
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.ResponseMode = OpenIdConnectResponseMode.Query;
        options.UsePkce = true;
        options.Scope.Clear();
        options.Scope.Add("openid");
        options.Scope.Add("profile");

        // RFC 9126: the authorization request goes to the hub's PAR endpoint first (client-authenticated, see the events);
        // the browser carries only client_id and request_uri. Require: never fall back to a request in the URL.
        options.PushedAuthorizationBehavior = PushedAuthorizationBehavior.Require;

        // Register https://<host>/signin-oidc as redirect URI and https://<host>/signout-callback-oidc as logout return URI.
        options.CallbackPath = "/signin-oidc";
        options.SignedOutCallbackPath = "/signout-callback-oidc";
        options.SignedOutRedirectUri = "/signed-out";
        options.SaveTokens = true; // keeps the ID token for id_token_hint at logout

        // The claims as the hub names them (sub, acr, amr, given_name); the handler drops acr and amr by default.
        options.MapInboundClaims = false;
        options.ClaimActions.Remove("acr");
        options.ClaimActions.Remove("amr");
        options.TokenValidationParameters.NameClaimType = "given_name";
        options.GetClaimsFromUserInfoEndpoint = false; // the ID token carries the profile claims

        // The response comes back as a top-level GET (response_mode query): SameSite=Lax is enough, and these cookies
        // stay Secure on https while a development site on http://localhost still works.
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.NonceCookie.SameSite = SameSiteMode.Lax;
        options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;

        options.Events = new OpenIdConnectEvents
        {
            // The level of assurance the pages need (eIDAS URI).
            OnRedirectToIdentityProvider = context =>
            {
                context.ProtocolMessage.AcrValues = hub.AcrValues;
                return Task.CompletedTask;
            },
            // RFC 9207: the hub names itself in every authorization response (discovery says
            // authorization_response_iss_parameter_supported); the handler does not check it, so this does.
            OnMessageReceived = async context =>
            {
                var configuration = await context.Options.ConfigurationManager!.GetConfigurationAsync(context.HttpContext.RequestAborted);
                if (!string.Equals(context.ProtocolMessage.Iss, configuration.Issuer, StringComparison.Ordinal))
                {
                    context.Fail("The authorization response's iss is not the hub's issuer (RFC 9207).");
                }
            },
            // private_key_jwt instead of a shared secret, at both back-channel requests: the pushed authorization request
            // and the token request.
            OnPushAuthorization = context => SignWithClientKeyAsync(context.ProtocolMessage, context.Options, context.HttpContext),
            OnAuthorizationCodeReceived = context => SignWithClientKeyAsync(context.TokenEndpointRequest!, context.Options, context.HttpContext),
            // The handler has checked the signature (JWKS), iss, aud, exp and the nonce; the level is the agency's to check.
            OnTokenValidated = context =>
            {
                if (!EidasLevels.Satisfies(context.SecurityToken.Claims.FirstOrDefault(c => c.Type == "acr")?.Value, hub.AcrValues))
                {
                    context.Fail("The ID token's acr is below the level this application needs.");
                }

                return Task.CompletedTask;
            },
        };
    }

    private static async Task SignWithClientKeyAsync(OpenIdConnectMessage request, OpenIdConnectOptions options, HttpContext http)
    {
        var configuration = await options.ConfigurationManager!.GetConfigurationAsync(http.RequestAborted);
        request.ClientAssertionType = ClientAssertions.JwtBearer;
        request.ClientAssertion = http.RequestServices.GetRequiredService<ClientAssertions>().Create(configuration.Issuer);
    }
}
