using IdentityHub.Data;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Oidc;

/// <summary>
/// Accepts each private_key_jwt client assertion once (RFC 7523 §3, item 7; FAPI 2.0): once it is validated, its jti is
/// recorded with one INSERT … ON CONFLICT DO NOTHING, so a replay — at this node or another — finds it there and is
/// refused with invalid_client. An assertion without a jti or an exp, or valid for more than 10 minutes, is refused. Expired entries are swept as new
/// ones arrive.
/// </summary>
internal sealed class ClientAssertionReplay(HubDbContext db, TimeProvider time) : IOpenIddictServerHandler<OpenIddictServerEvents.ValidateTokenContext>
{
    /// <summary>An assertion may be valid for at most this long from now (so its jti need be kept no longer).</summary>
    public static readonly TimeSpan LongestLifetime = TimeSpan.FromMinutes(10);

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<OpenIddictServerEvents.ValidateTokenContext>()
            .UseScopedHandler<ClientAssertionReplay>()
            .SetOrder(Math.Max(OpenIddictServerHandlers.Protection.ValidateExpirationDate.Descriptor.Order,
                OpenIddictServerHandlers.Protection.ValidateAudiences.Descriptor.Order) + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(OpenIddictServerEvents.ValidateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Principal is not { } principal || !context.ValidTokenTypes.Contains(TokenTypeIdentifiers.Private.ClientAssertion))
        {
            return;
        }

        var jti = principal.GetClaim(Claims.JwtId);
        var clientId = principal.GetClaim(Claims.Issuer) ?? principal.GetClaim(Claims.Subject);
        var expires = principal.GetExpirationDate();
        var now = time.GetUtcNow();
        if (string.IsNullOrEmpty(jti) || jti.Length > 200 || string.IsNullOrEmpty(clientId) || expires is null)
        {
            context.Reject(Errors.InvalidClient, "A client assertion needs a jti (at most 200 characters) and an exp.");
            return;
        }

        if (expires.Value > now + LongestLifetime)
        {
            context.Reject(Errors.InvalidClient, $"A client assertion may expire at most {LongestLifetime.TotalMinutes:0} minutes after it is sent.");
            return;
        }

        await db.Database.ExecuteSqlAsync($"""DELETE FROM oidc.client_assertions WHERE "ExpiresAt" < {now}""");
        var recorded = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO oidc.client_assertions ("ClientId", "Jti", "ExpiresAt") VALUES ({clientId}, {jti}, {expires.Value})
            ON CONFLICT DO NOTHING
            """);
        if (recorded == 0)
        {
            context.Reject(Errors.InvalidClient, "This client assertion was used before: make a new one (with a new jti) for every request.");
        }
    }
}
