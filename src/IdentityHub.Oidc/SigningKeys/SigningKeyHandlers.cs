using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Oidc.SigningKeys;

/// <summary>
/// Signs each token OpenIddict generates with the key set's current key (decision 0018), in place of the static
/// OpenIddictServerOptions.SigningCredentials: ID tokens with the algorithm their client registered (ES256, PS256 or
/// RS256), everything else ES256. Runs right after OpenIddict's AttachSecurityCredentials.
/// </summary>
internal sealed class AttachRotatingSigningCredentials(SigningKeySet keySet, IOpenIddictApplicationManager applications)
    : IOpenIddictServerHandler<OpenIddictServerEvents.GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<OpenIddictServerEvents.GenerateTokenContext>()
            .UseScopedHandler<AttachRotatingSigningCredentials>()
            .SetOrder(OpenIddictServerHandlers.Protection.AttachSecurityCredentials.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(OpenIddictServerEvents.GenerateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var algorithm = OidcSigningAlgorithms.Default;
        if (context.TokenType == TokenTypeIdentifiers.IdentityToken && !string.IsNullOrEmpty(context.ClientId)
            && await applications.FindByClientIdAsync(context.ClientId, context.CancellationToken) is { } application)
        {
            algorithm = await ClientSigningAlgorithm.OfAsync(applications, application, context.CancellationToken);
        }

        context.SigningCredentials = (await keySet.GetAsync(context.CancellationToken)).CredentialsFor(algorithm);
    }
}

/// <summary>
/// Validates the hub's own tokens (access tokens at userinfo, ID tokens as id_token_hint) against every published key —
/// current, next and retired within its grace — so a token signed before a rotation, or by a node that has already
/// read it, verifies on every node. Client assertions keep OpenIddict's keys from the client's JWKS.
/// </summary>
internal sealed class UseRotatingValidationKeys(SigningKeySet keySet, TimeProvider time) : IOpenIddictServerHandler<OpenIddictServerEvents.ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<OpenIddictServerEvents.ValidateTokenContext>()
            .UseSingletonHandler<UseRotatingValidationKeys>()
            // After ResolveTokenValidationParameters (and the hub's ClientAssertionTypes, at + 1), before validation.
            .SetOrder(OpenIddictServerHandlers.Protection.ResolveTokenValidationParameters.Descriptor.Order + 2)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(OpenIddictServerEvents.ValidateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.TokenValidationParameters is not { } parameters
            || (context.ValidTokenTypes.Count == 1 && context.ValidTokenTypes.Contains(TokenTypeIdentifiers.Private.ClientAssertion)))
        {
            return;
        }

        var snapshot = await keySet.GetAsync(context.CancellationToken);
        parameters.IssuerSigningKeys = [.. snapshot.Published(time.GetUtcNow()).Select(k => k.Key)];
    }
}

/// <summary>The JWKS (RFC 7517 §5): current, next and retired-within-grace keys, public members only. Replaces OpenIddict's AttachSigningKeys.</summary>
internal sealed class PublishSigningKeySet(SigningKeySet keySet, TimeProvider time) : IOpenIddictServerHandler<OpenIddictServerEvents.HandleJsonWebKeySetRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<OpenIddictServerEvents.HandleJsonWebKeySetRequestContext>()
            .UseSingletonHandler<PublishSigningKeySet>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachSigningKeys.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(OpenIddictServerEvents.HandleJsonWebKeySetRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var snapshot = await keySet.GetAsync(context.CancellationToken);
        foreach (var key in snapshot.Published(time.GetUtcNow()))
        {
            // OpenIddict only reads the public members it writes out (kid, use, kty, alg, crv, e, n, x, y).
            context.Keys.Add(key.Jwk);
        }
    }
}

/// <summary>id_token_signing_alg_values_supported: what clients may register. Replaces OpenIddict's AttachSigningAlgorithms.</summary>
internal static class AdvertiseSigningAlgorithms
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<OpenIddictServerEvents.HandleConfigurationRequestContext>()
            .UseInlineHandler(context =>
            {
                context.IdTokenSigningAlgorithms.UnionWith(OidcSigningAlgorithms.All);
                return default;
            })
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachSigningAlgorithms.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();
}
