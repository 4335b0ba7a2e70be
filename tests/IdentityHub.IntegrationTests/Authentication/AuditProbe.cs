using IdentityHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Authentication;

/// <summary>Reads what the hub wrote to the audit log about one subject, newest last.</summary>
internal static class AuditProbe
{
    public static async Task<IReadOnlyList<(string Type, string Details)>> EventsAsync(this HubFixture hub, string subject)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        return (await db.AuditEvents.AsNoTracking().Where(e => e.Subject == subject).OrderBy(e => e.Sequence).Select(e => new { e.Type, e.Details }).ToListAsync())
            .Select(e => (e.Type, e.Details)).ToList();
    }

    /// <summary>The newest event of a type about the subject; fails when there is none.</summary>
    public static async Task<string> LastAsync(this HubFixture hub, string subject, string type)
    {
        var events = await hub.EventsAsync(subject);
        var found = events.LastOrDefault(e => e.Type == type);
        Assert.True(found.Type is not null, $"no '{type}' audit event for {subject}; there are: {string.Join(", ", events.Select(e => e.Type))}");
        return found.Details;
    }
}
