using IdentityHub.Enrolment.Proofing;
using IdentityHub.Enrolment.Registry;
using IdentityHub.Server.OfficerConsole;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console.Enrolments;

/// <summary>The work queue: enrolments at the officer's service points that are neither issued nor cancelled.</summary>
internal sealed class IndexModel(EnrolmentService enrolments) : PageModel
{
    public IReadOnlyList<EnrolmentSummary> Open { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Open = await enrolments.OpenAsync(User.ToStaffActor(), 100, ct);
}
