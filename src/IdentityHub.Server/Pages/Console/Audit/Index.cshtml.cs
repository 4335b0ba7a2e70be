using IdentityHub.Data;
using IdentityHub.Data.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Server.Pages.Console.Audit;

/// <summary>The audit log for auditors: filter by event type, actor, subject and time; verify the hash chain on demand.</summary>
internal sealed class IndexModel(HubDbContext db, AuditLog audit) : PageModel
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true)]
    public string? Type { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Subject { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public IReadOnlyList<AuditRecord> Events { get; private set; } = [];

    public AuditVerification? Verification { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task OnPostVerifyAsync(CancellationToken ct)
    {
        Verification = await audit.VerifyAsync(ct);
        await LoadAsync(ct);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var query = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Type))
        {
            var prefix = Type.Trim();
            query = query.Where(e => e.Type.StartsWith(prefix));
        }

        if (!string.IsNullOrWhiteSpace(Actor))
        {
            query = query.Where(e => e.Actor == Actor.Trim());
        }

        if (!string.IsNullOrWhiteSpace(Subject))
        {
            query = query.Where(e => e.Subject == Subject.Trim());
        }

        if (Date(nameof(From), From) is { } from)
        {
            query = query.Where(e => e.At >= from);
        }

        if (Date(nameof(To), To) is { } to)
        {
            var end = to.AddDays(1);
            query = query.Where(e => e.At < end);
        }

        if (Before is { } before)
        {
            query = query.Where(e => e.Sequence < before);
        }

        Events = await query.OrderByDescending(e => e.Sequence).Take(PageSize).ToListAsync(ct);
    }

    private DateTimeOffset? Date(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", out var date))
        {
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        ModelState.AddModelError(field, "Enter the date as year-month-day, for example 2026-11-24.");
        return null;
    }

    public string NextPage() =>
        $"?Type={Uri.EscapeDataString(Type ?? "")}&Actor={Uri.EscapeDataString(Actor ?? "")}&Subject={Uri.EscapeDataString(Subject ?? "")}&From={From}&To={To}&Before={Events[^1].Sequence}";
}
