using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Oidc;

/// <summary>
/// A client an operator disabled (<see cref="OidcClients.DisableAsync"/>) is refused at every endpoint it names itself
/// at: invalid_client at the token, PAR, introspection and revocation endpoints, and an error page (never a redirect)
/// at authorize, because the check runs before its redirect_uri is trusted.
/// </summary>
internal sealed class DisabledClients(IOpenIddictApplicationManager applications) : IOpenIddictServerHandler<OpenIddictServerEvents.ProcessAuthenticationContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<OpenIddictServerEvents.ProcessAuthenticationContext>()
            .UseScopedHandler<DisabledClients>()
            .SetOrder(OpenIddictServerHandlers.ValidateClientId.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(OpenIddictServerEvents.ProcessAuthenticationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrEmpty(context.ClientId) || await applications.FindByClientIdAsync(context.ClientId) is not { } application)
        {
            return;
        }

        if ((await OidcClients.PolicyAsync(applications, application, default)).Disabled)
        {
            context.Reject(Errors.InvalidClient, "This client has been disabled by the hub's operators.");
        }
    }
}
