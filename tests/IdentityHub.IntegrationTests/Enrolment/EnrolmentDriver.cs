using System.Globalization;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Enrolment;
using IdentityHub.Enrolment.Issuance;
using IdentityHub.Enrolment.Proofing;
using IdentityHub.Enrolment.Registry;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Enrolment;

/// <summary>Drives the enrolment services of a real hub the way the console does, with officers of each role.</summary>
internal sealed class EnrolmentDriver(HubFixture hub)
{
    public const string ServicePoint = "IT-01";

    /// <summary>A valid JPEG start (FF D8 FF E0 …) padded; the hub checks the signature, not the picture.</summary>
    public static readonly FacePhoto Photo = new("image/jpeg", [0xFF, 0xD8, 0xFF, 0xE0, .. new byte[512], 0xFF, 0xD9]);

    public static readonly StaffActor Officer = Staff("officer.olga", StaffRoles.Officer);
    public static readonly StaffActor SecondOfficer = Staff("officer.oskar", StaffRoles.Officer);
    public static readonly StaffActor Supervisor = Staff("supervisor.sven", StaffRoles.Supervisor);
    public static readonly StaffActor Auditor = Staff("auditor.aino", StaffRoles.Auditor);

    public static StaffActor Staff(string name, params string[] roles) => new(name, new HashSet<string>(roles), "test");

    /// <summary>A fresh person each call: unique names and document numbers so tests never collide in the shared database.</summary>
    public static EnrolmentRequest NewPerson(string? surname = null, string? documentNumber = null, string dateOfBirth = "1987-03-27")
    {
        var suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        return new EnrolmentRequest
        {
            GivenNames = "Žofia Anna",
            Surname = surname ?? "Ņikolajeva-Öström " + UniqueLetters(suffix),
            DateOfBirth = dateOfBirth,
            PlaceOfBirth = "Tallinn",
            Nationality = "EST",
            Sex = "F",
            DocumentType = "passport",
            DocumentNumber = documentNumber ?? "P" + suffix,
            DocumentIssuingState = "EST",
            DocumentExpiresOn = DateTime.UtcNow.AddYears(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ServicePoint = ServicePoint,
        };
    }

    /// <summary>Hex digits as letters a-p: names hold letters only.</summary>
    public static string UniqueLetters(string hex) => new(hex.Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))).ToArray());

    public async Task EnsureServicePointAsync()
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ServicePoints>().AddAsync(ServicePoint, "Integration test counter", "test", CancellationToken.None);
    }

    public async Task<T> WithAsync<TService, T>(Func<TService, Task<T>> call)
        where TService : notnull
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public Task<Outcome<EnrolmentView>> CreateAsync(EnrolmentRequest request, FacePhoto? photo = null, StaffActor? actor = null) =>
        WithAsync<EnrolmentService, Outcome<EnrolmentView>>(s => s.CreateAsync(request, photo ?? Photo, actor ?? Officer, CancellationToken.None));

    /// <summary>Create → verify → approve; returns the approved enrolment.</summary>
    public async Task<EnrolmentView> ApprovedAsync(EnrolmentRequest? request = null)
    {
        await EnsureServicePointAsync();
        var created = Ok(await CreateAsync(request ?? NewPerson()));
        Ok(await WithAsync<EnrolmentService, Outcome<EnrolmentView>>(s => s.VerifyAsync(created.Id, Officer, CancellationToken.None)));
        return Ok(await WithAsync<EnrolmentService, Outcome<EnrolmentView>>(s => s.ApproveAsync(created.Id, Supervisor, CancellationToken.None)));
    }

    public async Task<IssuedEid> IssuedAsync(EnrolmentRequest? request = null)
    {
        var approved = await ApprovedAsync(request);
        return Ok(await WithAsync<EidIssuer, Outcome<IssuedEid>>(s => s.IssueAsync(approved.Id, Officer, CancellationToken.None)));
    }

    /// <summary>Row counts of every registry and PKI table: "the database is unchanged" means these stay equal.</summary>
    public async Task<string> FootprintAsync()
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        return string.Join(' ',
            await db.Persons.CountAsync(), await db.PersonVersions.CountAsync(), await db.Eids.CountAsync(), await db.EidKeys.CountAsync(),
            await db.IssuedCertificates.CountAsync(), await db.Enrolments.CountAsync(),
            await db.Enrolments.CountAsync(e => e.Status == IdentityHub.Data.Registry.EnrolmentStatus.Issued),
            await db.IssuedCertificates.CountAsync(c => c.Status == IdentityHub.Data.Pki.CertificateStatus.Revoked));
    }

    public static T Ok<T>(Outcome<T> outcome)
    {
        Assert.True(outcome.Succeeded, outcome.Succeeded ? null : $"{outcome.ErrorCode}: {string.Join(" ", outcome.Errors.Select(e => e.Message))}");
        return outcome.Value!;
    }
}
