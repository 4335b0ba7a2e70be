using IdentityHub.Data;
using IdentityHub.Data.Pki;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Pki;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Pki;

/// <summary>certificateHold: on the CRL while suspended, gone from the next one after resume; final revocation keeps the hold time.</summary>
[Collection(HubCollection.Name)]
public sealed class SuspensionTests(HubFixture hub)
{
    private async Task<T> WithAsync<T>(Func<RevocationService, Task<T>> call)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<RevocationService>());
    }

    private async Task<string> CrlTextAsync(string name)
    {
        var path = hub.PathOf($"suspension-{name}-{Guid.NewGuid():N}.crl");
        await File.WriteAllBytesAsync(path, await hub.Http.GetByteArrayAsync("/pki/crl/citizen-auth.crl"));
        var result = await Openssl.RunAsync(hub.WorkDirectory.FullName, "crl", "-inform", "DER", "-in", path, "-noout", "-text");
        Assert.Equal(0, result.ExitCode);
        return result.Output;
    }

    [Fact]
    public async Task A_held_certificate_is_on_the_CRL_as_certificate_hold_and_leaves_it_when_resumed()
    {
        var issued = await hub.IssueAsync();
        var serial = $"Serial Number: {issued.SerialNumber.ToUpperInvariant()}";

        await WithAsync(r => r.SuspendAsync(issued.SerialNumber, issued.IssuerName, CancellationToken.None));
        var held = await CrlTextAsync("held");
        await WithAsync(r => r.ResumeAsync(issued.SerialNumber, issued.IssuerName, CancellationToken.None));
        var resumed = await CrlTextAsync("resumed");

        Assert.Contains(serial, held, StringComparison.Ordinal);
        Assert.Contains("Certificate Hold", held[held.IndexOf(serial, StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.DoesNotContain(serial, resumed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoking_a_held_certificate_is_final_and_keeps_the_time_of_the_hold()
    {
        var issued = await hub.IssueAsync();
        var hold = await WithAsync(r => r.SuspendAsync(issued.SerialNumber, issued.IssuerName, CancellationToken.None));

        var final = await WithAsync(r => r.RevokeAsync(issued.SerialNumber, RevocationReason.KeyCompromise, issued.IssuerName, CancellationToken.None));

        Assert.False(final.AlreadyRevoked);
        Assert.Equal(RevocationReason.KeyCompromise, final.Reason);
        Assert.Equal(hold.RevokedAt, final.RevokedAt);
        await Assert.ThrowsAsync<CertificateStateException>(() => WithAsync(r => r.ResumeAsync(issued.SerialNumber, issued.IssuerName, CancellationToken.None)));
        await Assert.ThrowsAsync<CertificateStateException>(() => WithAsync(r => r.SuspendAsync(issued.SerialNumber, issued.IssuerName, CancellationToken.None)));
    }

    [Fact]
    public async Task Resuming_a_good_certificate_is_refused()
    {
        var issued = await hub.IssueAsync();

        var error = await Assert.ThrowsAsync<CertificateStateException>(() => WithAsync(r => r.ResumeAsync(issued.SerialNumber, issued.IssuerName, CancellationToken.None)));

        Assert.Contains("is not on hold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_suspension_inside_a_transaction_that_rolls_back_leaves_the_certificate_good()
    {
        var issued = await hub.IssueAsync();
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync();
            await scope.ServiceProvider.GetRequiredService<RevocationService>().SuspendAsync(issued.SerialNumber, issued.IssuerName, CancellationToken.None);
            await tx.RollbackAsync();
        }

        await using var check = hub.App.Services.CreateAsyncScope();
        var status = await check.ServiceProvider.GetRequiredService<HubDbContext>().IssuedCertificates
            .Where(c => c.SerialNumber == issued.SerialNumber).Select(c => c.Status).SingleAsync();
        Assert.Equal(CertificateStatus.Good, status);
        Assert.DoesNotContain(issued.SerialNumber.ToUpperInvariant(), await CrlTextAsync("rolled-back"), StringComparison.Ordinal);
    }
}
