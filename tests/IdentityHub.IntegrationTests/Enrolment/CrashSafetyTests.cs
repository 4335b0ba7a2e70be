using IdentityHub.Data;
using IdentityHub.Data.Registry;
using IdentityHub.Enrolment;
using IdentityHub.Enrolment.Issuance;
using IdentityHub.Enrolment.Lifecycle;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Enrolment;

[Collection(HubCollection.Name)]
public sealed class CrashSafetyTests(HubFixture hub)
{
    private readonly EnrolmentDriver _driver = new(hub);

    private sealed class FailAt(IssuanceStep step) : IIssuanceObserver
    {
        public ValueTask StepCompletedAsync(IssuanceStep completed, CancellationToken cancellationToken) =>
            completed == step ? throw new IOException($"injected failure after {step}") : ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData(IssuanceStep.KeysGenerated)]
    [InlineData(IssuanceStep.CertificatesIssued)]
    [InlineData(IssuanceStep.EidRecorded)]
    public async Task A_failure_during_issuance_leaves_no_half_issued_eID_and_the_enrolment_can_be_issued_again(IssuanceStep step)
    {
        var approved = await _driver.ApprovedAsync();
        var before = await _driver.FootprintAsync();
        await using (var faulty = HubNodes.Build(hub.ConnectionString, b => b.Services.AddSingleton<IIssuanceObserver>(new FailAt(step))))
        await using (var scope = faulty.Services.CreateAsyncScope())
        {
            await Assert.ThrowsAsync<IOException>(() => scope.ServiceProvider.GetRequiredService<EidIssuer>()
                .IssueAsync(approved.Id, EnrolmentDriver.Officer, CancellationToken.None));
        }

        // Nothing of the failed attempt remains: no person, eID, key or certificate row; the enrolment is still approved.
        Assert.Equal(before, await _driver.FootprintAsync());
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            Assert.Equal(EnrolmentStatus.Approved, (await db.Enrolments.SingleAsync(e => e.Id == approved.Id)).Status);
            var report = await scope.ServiceProvider.GetRequiredService<RegistryConsistency>().CheckAsync(CancellationToken.None);
            Assert.Empty(report.Problems);
        }

        var issued = EnrolmentDriver.Ok(await _driver.WithAsync<EidIssuer, Outcome<IssuedEid>>(
            s => s.IssueAsync(approved.Id, EnrolmentDriver.Officer, CancellationToken.None)));
        Assert.NotNull(issued.DocumentNumber);
    }

    [Fact]
    public async Task The_consistency_check_reports_a_citizen_certificate_that_belongs_to_no_eID()
    {
        // What a hand-edited or partially restored database would look like: a good citizen certificate with no eID.
        var orphan = await hub.IssueAsync(CitizenCredentials.AuthenticationProfile, "Orphan Test");
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        try
        {
            var report = await scope.ServiceProvider.GetRequiredService<RegistryConsistency>().CheckAsync(CancellationToken.None);

            Assert.Contains(report.Problems, p => p.Contains(orphan.SerialNumber, StringComparison.Ordinal)
                && p.Contains("belongs to no eID and is good", StringComparison.Ordinal));
        }
        finally
        {
            // The shared database must stay consistent for the other tests.
            await db.Database.ExecuteSqlAsync($"""DELETE FROM pki.issued_certificates WHERE "SerialNumber" = {orphan.SerialNumber}""");
        }
    }
}
