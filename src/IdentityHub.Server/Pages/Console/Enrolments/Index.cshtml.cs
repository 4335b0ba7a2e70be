using IdentityHub.Enrolment.Proofing;
using IdentityHub.Enrolment.Registry;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityHub.Server.Pages.Console.Enrolments;

/// <summary>The work queue: enrolments that are neither issued nor cancelled.</summary>
internal sealed class IndexModel(EnrolmentService enrolments) : PageModel
{
    public IReadOnlyList<EnrolmentSummary> Open { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Open = await enrolments.OpenAsync(100, ct);
}
