using IdentityHub.Oidc.Consent;
using IdentityHub.Server.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Citizen;

/// <summary>
/// The consent page (docs/oidc.md "Consent"): the agency's name and each attribute it asked for, in words. Its form posts
/// the authorization request back to /connect/authorize with the citizen's answer, the antiforgery token and a ticket
/// binding the answer to this client, scope set and session; OpenIddict validates the request again there.
/// </summary>
internal sealed class ConsentModel(ConsentPrompts prompts) : PageModel
{
    public ConsentPrompt Prompt { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await prompts.DescribeAsync(Request.Query, User, ct) is not { } prompt)
        {
            return BadRequest();
        }

        Prompt = prompt;
        // The form leads, through the authorization endpoint's redirect, to the agency's registered redirect URI.
        SecurityHeaders.AllowFormTargets(HttpContext, [prompt.RedirectOrigin]);
        return Page();
    }

    /// <summary>The words for what one scope releases (profile is three attributes).</summary>
    public static IReadOnlyList<string> TextKeysOf(string scope) => scope switch
    {
        "openid" => ["Consent.Attribute.Subject"],
        "profile" => ["Consent.Attribute.GivenName", "Consent.Attribute.FamilyName", "Consent.Attribute.BirthDate"],
        "national_id" => ["Consent.Attribute.NationalId"],
        "offline_access" => ["Consent.Attribute.StaySignedIn"],
        "signing" => ["Consent.Attribute.Signing"],
        _ => [],
    };
}
