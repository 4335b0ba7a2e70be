using IdentityHub.Authentication.Sessions;
using IdentityHub.Signing.Requests;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Citizen.Sign;

/// <summary>What the citizen signed or was asked to sign: documents with their SHA-256, times, agency; never the documents themselves.</summary>
[Microsoft.AspNetCore.Authorization.Authorize(Policy = CitizenPolicies.Citizen)]
internal sealed class HistoryModel(SigningRequests requests, IdentityHub.Authentication.Agencies.IAgencyAccess agencies) : PageModel
{
    public IReadOnlyList<SigningRequestView> Requests { get; private set; } = [];

    /// <summary>Agencies' names as citizens see them on consent pages, by client id.</summary>
    public Dictionary<string, string> Agencies { get; } = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (User.AccountIdOf() is not { } accountId)
        {
            return Forbid();
        }

        Requests = await requests.HistoryAsync(accountId, 200, ct);
        foreach (var clientId in Requests.Select(r => r.ClientId).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            Agencies[clientId] = await agencies.DisplayNameAsync(clientId, ct) ?? clientId;
        }
        return Page();
    }
}
