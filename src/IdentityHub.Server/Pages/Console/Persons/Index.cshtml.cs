using IdentityHub.Enrolment.Registry;
using IdentityHub.Server.OfficerConsole;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console.Persons;

/// <summary>Find a person by national id, document number, or names and date of birth (posted). Every person shown is an audited view.</summary>
internal sealed class IndexModel(PersonRegistry registry) : PageModel
{
    [BindProperty]
    public string? NationalId { get; set; }

    [BindProperty]
    public string? DocumentNumber { get; set; }

    [BindProperty]
    public string? Surname { get; set; }

    [BindProperty]
    public string? GivenNames { get; set; }

    [BindProperty]
    public DateParts DateOfBirth { get; set; } = new();

    public IReadOnlyList<PersonView>? Results { get; private set; }

    /// <summary>
    /// The search (a GET shows the empty forms; a national identifier in the query string is ignored). The forms post, so the national identifier (personal data) never appears in the address, the browser
    /// history, proxy or server logs; the result links use the registry's id for the same reason.
    /// </summary>
    public async Task OnPostAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        var actor = User.ToStaffActor();
        if (!string.IsNullOrWhiteSpace(NationalId))
        {
            Show(await registry.FindByNationalIdAsync(NationalId, actor, ct));
        }
        else if (!string.IsNullOrWhiteSpace(DocumentNumber))
        {
            Show(await registry.FindByDocumentNumberAsync(DocumentNumber, actor, ct));
        }
        else if (!string.IsNullOrWhiteSpace(Surname) || DateOfBirth.Day is { Length: > 0 } || DateOfBirth.Month is { Length: > 0 } || DateOfBirth.Year is { Length: > 0 })
        {
            var (iso, error) = DateOfBirth.Read("Date of birth");
            if (error is not null || !DateOnly.TryParseExact(iso, "yyyy-MM-dd", out var birth))
            {
                ModelState.AddModelError(nameof(DateOfBirth), error ?? "Date of birth must be a real date.");
                return;
            }

            Show(await registry.FindByNameAsync(Surname ?? string.Empty, GivenNames ?? string.Empty, birth, actor, ct));
        }
    }

    private void Show(IdentityHub.Enrolment.Outcome<IReadOnlyList<PersonView>> outcome)
    {
        if (outcome.Succeeded)
        {
            Results = outcome.Value;
        }
        else
        {
            ModelState.AddErrors(outcome.Errors);
        }
    }
}
