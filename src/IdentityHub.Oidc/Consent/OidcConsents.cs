using IdentityHub.Core.Audit;
using IdentityHub.Data.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Oidc.Consent;

/// <summary>A consent as the citizen's portal lists it: one agency, everything it may receive, since when.</summary>
public sealed record ConsentView(string ClientId, string AgencyName, IReadOnlyList<string> Scopes, DateTimeOffset GrantedAt);

/// <summary>
/// The citizen's consents (valid permanent authorizations of their account) and their withdrawal. Withdrawing revokes
/// the authorizations and, explicitly, every token issued under them: OpenIddict already refuses a code or refresh
/// token whose authorization is revoked, but it would leave the tokens themselves marked valid.
/// </summary>
public sealed class OidcConsents(
    IOpenIddictApplicationManager applications, IOpenIddictAuthorizationManager authorizations, IOpenIddictTokenManager tokens, AuditLog audit)
{
    public async Task<IReadOnlyList<ConsentView>> ListAsync(Guid accountId, CancellationToken ct)
    {
        var byClient = new Dictionary<string, (SortedSet<string> Scopes, DateTimeOffset At)>(StringComparer.Ordinal);
        await foreach (var authorization in authorizations.FindBySubjectAsync(OidcConsentStep.SubjectOf(accountId), ct))
        {
            if (!await authorizations.HasStatusAsync(authorization, Statuses.Valid, ct)
                || !await authorizations.HasTypeAsync(authorization, AuthorizationTypes.Permanent, ct)
                || await authorizations.GetApplicationIdAsync(authorization, ct) is not { } applicationId)
            {
                continue;
            }

            var at = await authorizations.GetCreationDateAsync(authorization, ct) ?? DateTimeOffset.MinValue;
            var (scopes, latest) = byClient.TryGetValue(applicationId, out var entry) ? entry : (new SortedSet<string>(StringComparer.Ordinal), DateTimeOffset.MinValue);
            scopes.UnionWith(await authorizations.GetScopesAsync(authorization, ct));
            byClient[applicationId] = (scopes, at > latest ? at : latest);
        }

        var views = new List<ConsentView>();
        foreach (var (applicationId, (scopes, at)) in byClient)
        {
            if (await applications.FindByIdAsync(applicationId, ct) is { } application)
            {
                var clientId = (await applications.GetClientIdAsync(application, ct))!;
                views.Add(new ConsentView(clientId, await applications.GetDisplayNameAsync(application, ct) ?? clientId,
                    [.. OidcScopes.All.Where(scopes.Contains)], at));
            }
        }

        return [.. views.OrderBy(v => v.AgencyName, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>Revokes the citizen's consents to one client and the tokens issued under them; false when there was none.</summary>
    public async Task<bool> WithdrawAsync(Guid accountId, string clientId, string actor, CancellationToken ct)
    {
        if (await applications.FindByClientIdAsync(clientId, ct) is not { } application)
        {
            return false;
        }

        var found = new List<object>();
        await foreach (var authorization in authorizations.FindAsync(OidcConsentStep.SubjectOf(accountId), await applications.GetIdAsync(application, ct),
            Statuses.Valid, AuthorizationTypes.Permanent, scopes: null, ct))
        {
            found.Add(authorization);
        }

        if (found.Count == 0)
        {
            return false;
        }

        long revokedTokens = 0;
        var ids = new List<string>();
        foreach (var authorization in found)
        {
            var id = (await authorizations.GetIdAsync(authorization, ct))!;
            await authorizations.TryRevokeAsync(authorization, ct);
            revokedTokens += await tokens.RevokeByAuthorizationIdAsync(id, ct);
            ids.Add(id);
        }

        await audit.AppendAsync(new AuditEvent("oidc.consent.withdrawn", actor, actor, new Dictionary<string, string>
        {
            ["client"] = clientId,
            ["authorizations"] = string.Join(' ', ids),
            ["tokensRevoked"] = revokedTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }), ct);
        return true;
    }
}

/// <summary>Registers the consent services (called by AddIdentityHubOidc).</summary>
internal static class ConsentServiceCollectionExtensions
{
    public static IServiceCollection AddIdentityHubOidcConsent(this IServiceCollection services)
    {
        services.TryAddSingleton<ConsentTickets>();
        services.TryAddScoped<OidcConsentStep>();
        services.TryAddScoped<ConsentPrompts>();
        services.TryAddScoped<OidcConsents>();
        services.TryAddScoped<GovernmentServices>();
        return services;
    }
}
