using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Citizen.Account;

/// <summary>Choosing the first second factor after activation: a passkey or an authenticator app.</summary>
internal sealed class SetupModel : PageModel
{
}
