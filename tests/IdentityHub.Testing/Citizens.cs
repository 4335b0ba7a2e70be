using IdentityHub.Data.Accounts;
using IdentityHub.Enrolment;
using IdentityHub.Enrolment.Issuance;
using IdentityHub.Enrolment.Lifecycle;
using IdentityHub.Enrolment.Proofing;
using IdentityHub.Enrolment.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Testing;

/// <summary>A citizen with an issued eID and an activation letter, as the counter leaves them.</summary>
public sealed record CitizenLetter(string NationalId, string DocumentNumber, string ActivationCode, string GivenNames, string Surname);

public static class Citizens
{
    public const string ServicePoint = "TEST-AUTH";

    /// <summary>A 1×1 PNG: tests have no face to photograph.</summary>
    private static readonly byte[] Photo = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    /// <summary>Enrols, approves and issues an eID through the hub's services, and prints its activation letter.</summary>
    public static Task<CitizenLetter> IssueCitizenAsync(this HubFixture hub, string givenNames = "Mari")
    {
        ArgumentNullException.ThrowIfNull(hub);
        return IssueCitizenAsync(hub.App.Services, givenNames);
    }

    /// <summary>The same on any running hub (benchmarks start their own).</summary>
    public static async Task<CitizenLetter> IssueCitizenAsync(IServiceProvider hubServices, string givenNames = "Mari")
    {
        ArgumentNullException.ThrowIfNull(hubServices);
        await using var scope = hubServices.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await services.GetRequiredService<ServicePoints>().AddAsync(ServicePoint, "Authentication tests", "tests", CancellationToken.None);
        var officer = new StaffActor("test-officer", new HashSet<string> { StaffRoles.Officer });
        var supervisor = new StaffActor("test-supervisor", new HashSet<string> { StaffRoles.Supervisor });
        var enrolments = services.GetRequiredService<EnrolmentService>();
        var surname = "Tamm " + new string(Guid.NewGuid().ToString("N")[..8].Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))).ToArray());
        var created = await enrolments.CreateAsync(new EnrolmentRequest
        {
            GivenNames = givenNames,
            Surname = surname,
            DateOfBirth = "1984-03-27",
            PlaceOfBirth = "Tartu",
            Nationality = "EST",
            DocumentType = "passport",
            DocumentNumber = "P" + Guid.NewGuid().ToString("N")[..9].ToUpperInvariant(),
            DocumentIssuingState = "EST",
            DocumentExpiresOn = DateTime.UtcNow.AddYears(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ServicePoint = ServicePoint,
        }, new FacePhoto("image/png", Photo), officer, CancellationToken.None);
        Check(created.Succeeded, created.Errors);
        Check((await enrolments.VerifyAsync(created.Value!.Id, officer, CancellationToken.None)).Succeeded, []);
        Check((await enrolments.ApproveAsync(created.Value.Id, supervisor, CancellationToken.None)).Succeeded, []);
        var issued = await services.GetRequiredService<EidIssuer>().IssueAsync(created.Value.Id, officer, CancellationToken.None);
        Check(issued.Succeeded, issued.Errors);
        var letter = await services.GetRequiredService<EidLifecycle>().PrintLetterAsync(issued.Value!.DocumentNumber, officer, CancellationToken.None);
        Check(letter.Succeeded, letter.Errors);
        return new CitizenLetter(issued.Value.NationalId, issued.Value.DocumentNumber, letter.Value!.ActivationCode, givenNames, surname);
    }

    private static void Check(bool succeeded, IEnumerable<EnrolmentError> errors)
    {
        if (!succeeded)
        {
            throw new InvalidOperationException("issuing a test citizen failed: " + string.Join("; ", errors.Select(e => e.Message)));
        }
    }
}
