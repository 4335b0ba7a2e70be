using IdentityHub.Core.Audit;
using IdentityHub.Data.Audit;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Oidc.Consent;

/// <summary>
/// The operator's decision that a client is a government service whose citizens are not asked for consent (OpenIddict's
/// implicit consent type) or an agency that needs consent (explicit, the default). Every setting and change is audited
/// as oidc.client.government_service with the operator who made it.
/// </summary>
public sealed class GovernmentServices(IOpenIddictApplicationManager applications, AuditLog audit)
{
    public const string AuditType = "oidc.client.government_service";

    /// <summary>Sets the client's choice; false when no such client exists. A change to the same value writes nothing.</summary>
    public async Task<bool> SetAsync(string clientId, bool governmentService, string actor, CancellationToken ct)
    {
        var application = await applications.FindByClientIdAsync(clientId, ct);
        if (application is null)
        {
            return false;
        }

        var consentType = governmentService ? ConsentTypes.Implicit : ConsentTypes.Explicit;
        if (await applications.GetConsentTypeAsync(application, ct) == consentType)
        {
            return true;
        }

        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, ct);
        descriptor.ConsentType = consentType;
        await applications.UpdateAsync(application, descriptor, ct);
        await AuditAsync(audit, clientId, governmentService, actor, ct);
        return true;
    }

    internal static Task AuditAsync(AuditLog audit, string clientId, bool governmentService, string actor, CancellationToken ct) =>
        audit.AppendAsync(new AuditEvent(AuditType, actor, clientId, new Dictionary<string, string>
        {
            ["governmentService"] = governmentService ? "true" : "false",
            ["consent"] = governmentService ? "not asked" : "asked",
        }), ct);
}
