using IdentityHub.Authentication.Sessions;
using IdentityHub.Signing.Requests;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Citizen.Sign;

/// <summary>What the citizen signed or was asked to sign: documents with their SHA-256, times, agency; never the documents themselves.</summary>
[Microsoft.AspNetCore.Authorization.Authorize(Policy = CitizenPolicies.Citizen)]
internal sealed class HistoryModel(SigningRequests requests) : PageModel
{
    public IReadOnlyList<SigningRequestView> Requests { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (User.AccountIdOf() is not { } accountId)
        {
            return Forbid();
        }

        Requests = await requests.HistoryAsync(accountId, 200, ct);
        return Page();
    }
}
