using IdentityHub.Authentication.Sessions;
using IdentityHub.Saml.Consent;
using IdentityHub.Saml.Sso;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Citizen;

/// <summary>
/// The consent page for SAML service providers (docs/saml.md "Consent"), with the OpenID consent page's look and words:
/// the agency's name and each item it receives. The form posts back here with the antiforgery token (Razor Pages
/// checks it) and a ticket binding the answer to this pending request, the citizen's session and the items shown; then
/// the browser goes on to the SSO continue step, which answers the SP (with RequestDenied after a refusal).
/// </summary>
[Authorize(Policy = CitizenPolicies.Citizen)]
internal sealed class SamlConsentModel(SamlConsents consents) : PageModel
{
    public SamlConsentPrompt? Prompt { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var (prompt, nothingToAsk) = await consents.DescribeAsync(id, User, ct);
        if (nothingToAsk)
        {
            return Redirect(SamlSignIn.ContinuePath + id.ToString("N"));
        }

        return Shown(prompt);
    }

    public async Task<IActionResult> OnPostAsync(
        Guid id, [FromForm(Name = SamlConsentForm.DecisionField)] string? decision, [FromForm(Name = SamlConsentForm.TicketField)] string? ticket, CancellationToken ct)
    {
        var (answer, next) = await consents.AnswerAsync(id, User, decision, ticket, ct);
        return answer == SamlConsentAnswer.Refused ? Shown(null) : Redirect(next!);
    }

    /// <summary>The words for one consent item (the OpenID consent page's).</summary>
    public static string TextKeyOf(string item) => item switch
    {
        SamlConsentItems.NameId => "Consent.Attribute.Subject",
        SamlConsentItems.NationalId => "Consent.Attribute.NationalId",
        "CurrentGivenName" => "Consent.Attribute.GivenName",
        "CurrentFamilyName" => "Consent.Attribute.FamilyName",
        "DateOfBirth" => "Consent.Attribute.BirthDate",
        _ => item,
    };

    /// <summary>The page, or (for a request that is gone, or an answer that is not this page's) a 400 that says so.</summary>
    private PageResult Shown(SamlConsentPrompt? prompt)
    {
        Prompt = prompt;
        if (prompt is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }
}
