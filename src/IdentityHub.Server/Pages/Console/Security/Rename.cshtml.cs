using IdentityHub.Authentication.Login;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace IdentityHub.Server.Pages.Console.Security;

/// <summary>Renames one of the staff member's authenticators; the console's home page confirms it.</summary>
internal sealed class RenameModel(UserManager<HubAccount> users, Authenticators authenticators, IStringLocalizer<Texts> t) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var account = await users.GetUserAsync(User);
        var current = account is null ? null : (await authenticators.ListAsync(account, ct)).FirstOrDefault(a => a.Kind == Kind && a.Id == Id);
        if (current is null)
        {
            return Redirect("/console/security");
        }

        Name = current.Name;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var account = await users.GetUserAsync(User);
        if (account is null)
        {
            return Forbid();
        }

        var result = await authenticators.RenameAsync(account, Kind ?? "", Id ?? "", Name ?? "", ct);
        if (!result.Succeeded)
        {
            ModelState.AddModelError(nameof(Name), t["Account.Change." + result.Change]);
            return Page();
        }

        TempData["ConsoleMessage"] = "renamed";
        return Redirect("/console");
    }
}
