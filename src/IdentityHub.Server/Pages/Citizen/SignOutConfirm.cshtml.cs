using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Citizen;

/// <summary>
/// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2) that did not come with an id_token_hint of this
/// very session: the citizen confirms with a POST carrying the antiforgery token, so a link or image on another site
/// cannot end the session. The logout request's parameters travel on unchanged.
/// </summary>
internal sealed class SignOutConfirmModel : PageModel
{
    /// <summary>The logout request's parameters (post_logout_redirect_uri, state, client_id, …), never the antiforgery token.</summary>
    public IReadOnlyList<(string Name, string Value)> Parameters { get; private set; } = [];

    public void OnGet() =>
        Parameters = [.. Request.Query
            .Where(p => p.Key is not ("confirm" or "__RequestVerificationToken") && p.Key.Length <= 64)
            .SelectMany(p => p.Value.Select(v => (p.Key, v ?? "")))];
}
