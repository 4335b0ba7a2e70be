using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Oidc;

/// <summary>
/// private_key_jwt assertions as relying-party libraries send them (RFC 7523): OpenIddict 7 accepts only
/// typ "client-authentication+jwt" (its error ID2089), but npm's openid-client, like most libraries, sends no typ. The
/// hub accepts no typ, "JWT" and "client-authentication+jwt" — and nothing else, so a client's DPoP proof
/// ("dpop+jwt") or request object can never pass as its client assertion. Signature, issuer, audience, expiry and the
/// jti replay check stay OpenIddict's.
/// </summary>
internal static class ClientAssertionTypes
{
    private static class JsonWebTokenTypes
    {
        public const string ClientAssertion = "client-authentication+jwt";
    }

    public static readonly string[] Accepted = ["", "JWT", JsonWebTokenTypes.ClientAssertion];

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<OpenIddictServerEvents.ValidateTokenContext>()
            .UseInlineHandler(context =>
            {
                if (context.ValidTokenTypes.Count == 1 && context.ValidTokenTypes.Contains(TokenTypeIdentifiers.Private.ClientAssertion)
                    && context.TokenValidationParameters is { } parameters)
                {
                    parameters.ValidTypes = null;
                    // The validated type is what OpenIddict maps to its token type: report the assertion as one.
                    parameters.TypeValidator = (type, _, _) => Accepted.Contains(type ?? "", StringComparer.OrdinalIgnoreCase)
                        ? JsonWebTokenTypes.ClientAssertion
                        : throw new SecurityTokenInvalidTypeException($"A client assertion of type '{type}' is not accepted.") { InvalidType = type };
                }

                return default;
            })
            // Right after OpenIddict's ResolveTokenValidationParameters (int.MinValue + 100_000), before validation.
            .SetOrder(int.MinValue + 100_001)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();
}

/// <summary>
/// RFC 7523 §3.1: a client assertion that fails (expired, another audience, a bad signature) is answered invalid_client.
/// OpenIddict passes on the error of its token validation (invalid_token), which no token-endpoint client expects.
/// </summary>
internal sealed class ClientAssertionErrors<TContext> : IOpenIddictServerHandler<TContext> where TContext : OpenIddictServerEvents.BaseRequestContext
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .UseSingletonHandler<ClientAssertionErrors<TContext>>()
            .SetOrder(int.MinValue + 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(TContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Transaction.Response;
        if (response is { Error: Errors.InvalidToken } && !string.IsNullOrEmpty(context.Transaction.Request?.ClientAssertion))
        {
            response.Error = Errors.InvalidClient;
        }

        return default;
    }
}
