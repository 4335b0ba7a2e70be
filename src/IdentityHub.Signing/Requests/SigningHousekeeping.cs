using IdentityHub.Data;
using IdentityHub.Data.Housekeeping;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Signing.Requests;

/// <summary>
/// Deletes documents past their time (docs/signing.md "What is stored"): unsigned uploads after
/// Signing:PendingRequestLifetime, signed results after Signing:SignedDocumentLifetime (or KeptDocumentLifetime when the
/// citizen asked). The request rows stay as the citizen's history: names, sizes, SHA-256, times, agency.
/// </summary>
internal sealed class SigningHousekeeping(IServiceScopeFactory scopes, TimeProvider time, ILogger<SigningHousekeeping> logger)
    : PeriodicHousekeeping(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(5);

    protected override string What => "signing documents past their time";

    public override async Task<int> PurgeAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var now = Time.GetUtcNow();
        var expired = db.SigningRequests.Where(r => r.ExpiresAt <= now).Select(r => r.Id);
        var purged = await db.SigningDocuments.Where(d => expired.Contains(d.RequestId) && (d.Content != null || d.SignedContent != null))
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.Content, (byte[]?)null).SetProperty(d => d.SignedContent, (byte[]?)null), ct);
        await db.SigningRequests.Where(r => r.ExpiresAt <= now && r.State == RequestStates.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.State, RequestStates.Cancelled).SetProperty(r => r.FailureCode, "expired"), ct);
        return purged;
    }
}
