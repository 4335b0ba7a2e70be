using System.Globalization;
using IdentityHub.Data;
using IdentityHub.Data.Audit;
using IdentityHub.Server.OfficerConsole;
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
    public DateParts From { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public DateParts To { get; set; } = new();

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

        if (Date(nameof(From), "From date", From) is { } from)
        {
            query = query.Where(e => e.At >= from);
        }

        if (Date(nameof(To), "To date", To) is { } to)
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

    /// <summary>A date typed as day, month and year; all three empty means no limit.</summary>
    private DateTimeOffset? Date(string field, string label, DateParts value)
    {
        if (string.IsNullOrWhiteSpace(value.Day) && string.IsNullOrWhiteSpace(value.Month) && string.IsNullOrWhiteSpace(value.Year))
        {
            return null;
        }

        var (iso, error) = value.Read(label);
        if (error is null && DateOnly.TryParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        ModelState.AddModelError(field, error ?? $"{label} must be a real date.");
        return null;
    }

    public string NextPage() =>
        $"?Type={Uri.EscapeDataString(Type ?? "")}&Actor={Uri.EscapeDataString(Actor ?? "")}&Subject={Uri.EscapeDataString(Subject ?? "")}{Parts(nameof(From), From)}{Parts(nameof(To), To)}&Before={Events[^1].Sequence}";

    private static string Parts(string name, DateParts date) =>
        $"&{name}.Day={Uri.EscapeDataString(date.Day ?? "")}&{name}.Month={Uri.EscapeDataString(date.Month ?? "")}&{name}.Year={Uri.EscapeDataString(date.Year ?? "")}";
}
