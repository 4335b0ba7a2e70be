using System.CommandLine;
using System.Globalization;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Enrolment;
using IdentityHub.Enrolment.Issuance;
using IdentityHub.Enrolment.Lifecycle;
using IdentityHub.Enrolment.Proofing;
using IdentityHub.Enrolment.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Cli.Commands;

/// <summary>hubctl demo seed: one demo citizen with an issued eID, for development only (./hub up runs it).</summary>
internal static class DemoCommands
{
    public const string ServicePoint = "DEMO";

    /// <summary>A 1×1 PNG: the demo has no real face to photograph.</summary>
    private static readonly byte[] DemoPhoto = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    public static Command Create()
    {
        var seed = new Command("seed", "Enrol and issue an eID for one demo citizen and print the national id and activation code once (development only).");
        seed.SetAction((_, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT");
            if (!string.Equals(environment, "Development", StringComparison.OrdinalIgnoreCase))
            {
                await Console.Error.WriteLineAsync("hubctl: the demo citizen is seeded only in development (DOTNET_ENVIRONMENT=Development).");
                return 1;
            }

            var db = services.GetRequiredService<HubDbContext>();
            if (await db.Enrolments.AnyAsync(e => e.ServicePoint == ServicePoint && e.EidId != null, token))
            {
                Console.WriteLine("demo citizen exists: `hubctl persons find --demo`; `hubctl eid letter DOCUMENT_NUMBER --out letter.pdf` prints a new code");
                return 0;
            }

            await services.GetRequiredService<ServicePoints>().AddAsync(ServicePoint, "Demo counter (development only)", OperatorIdentity.Current, token);
            var officer = new StaffActor("demo-officer", new HashSet<string> { StaffRoles.Officer }, "hubctl demo");
            var supervisor = new StaffActor("demo-supervisor", new HashSet<string> { StaffRoles.Supervisor }, "hubctl demo");
            var enrolments = services.GetRequiredService<EnrolmentService>();
            var today = DateTime.UtcNow;
            var created = await enrolments.CreateAsync(new EnrolmentRequest
            {
                GivenNames = "Mari-Liis",
                Surname = "Männik-Ševtšenko",
                DateOfBirth = "1990-05-17",
                PlaceOfBirth = "Tartu",
                Nationality = "EST",
                Sex = "F",
                DocumentType = "passport",
                DocumentNumber = "DEMO" + today.ToString("yyMMddHHmm", CultureInfo.InvariantCulture),
                DocumentIssuingState = "EST",
                DocumentExpiresOn = today.AddYears(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ServicePoint = ServicePoint,
            }, new FacePhoto("image/png", DemoPhoto), officer, token);
            var id = Check(created).Id;
            Check(await enrolments.VerifyAsync(id, officer, token));
            Check(await enrolments.ApproveAsync(id, supervisor, token));
            var issued = Check(await services.GetRequiredService<EidIssuer>().IssueAsync(id, officer, token));
            var letter = Check(await services.GetRequiredService<EidLifecycle>().PrintLetterAsync(issued.DocumentNumber, officer, token));
            Console.WriteLine($"demo citizen:     {letter.GivenNames} {letter.Surname}");
            Console.WriteLine($"national id:      {issued.NationalId}");
            Console.WriteLine($"eID document:     {issued.DocumentNumber}");
            Console.WriteLine($"activation code:  {letter.ActivationCode}   (shown once; valid until {letter.CodeExpiresAt:yyyy-MM-dd})");
            return 0;
        }, ct));
        return new Command("demo", "Development demo data.") { seed };
    }

    private static T Check<T>(Outcome<T> outcome) =>
        outcome.Succeeded ? outcome.Value! : throw new InvalidOperationException($"demo seed failed: {outcome.Errors[0].Message}");
}
