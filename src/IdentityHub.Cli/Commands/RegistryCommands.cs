using System.CommandLine;
using System.Globalization;
using IdentityHub.Data;
using IdentityHub.Data.Registry;
using IdentityHub.Enrolment;
using IdentityHub.Enrolment.Lifecycle;
using IdentityHub.Enrolment.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Cli.Commands;

/// <summary>hubctl persons … and hubctl eid …: the registry from the operator's shell. Every view is audited like the console's.</summary>
internal static class RegistryCommands
{
    public static Command Persons()
    {
        var nationalId = new Option<string?>("--national-id") { Description = "11-digit national identifier" };
        var document = new Option<string?>("--document") { Description = "identity document or eID document number" };
        var surname = new Option<string?>("--surname") { Description = "surname (with --born)" };
        var given = new Option<string?>("--given-names") { Description = "given names (optional, with --surname)" };
        var born = new Option<string?>("--born") { Description = "date of birth yyyy-MM-dd (with --surname)" };
        var demo = new Option<bool>("--demo") { Description = "the demo citizen that `./hub up` seeds in development" };
        var find = new Command("find", "Find persons by national id, document number, names + birth date, or the demo citizen.")
        {
            nationalId, document, surname, given, born, demo,
        };
        find.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var registry = services.GetRequiredService<PersonRegistry>();
            var actor = Operator();
            Outcome<IReadOnlyList<PersonView>> outcome;
            if (parse.GetValue(demo))
            {
                var db = services.GetRequiredService<HubDbContext>();
                var ids = await db.Enrolments.Where(e => e.ServicePoint == DemoCommands.ServicePoint && e.PersonId != null)
                    .Join(db.Persons, e => e.PersonId, p => p.Id, (e, p) => p.NationalId).Distinct().ToListAsync(token);
                if (ids.Count == 0)
                {
                    await Console.Error.WriteLineAsync("hubctl: no demo citizen: run `hubctl demo seed` (./hub up does in development).");
                    return 1;
                }

                outcome = await registry.FindByNationalIdAsync(ids[0], actor, token);
            }
            else if (parse.GetValue(nationalId) is { } id)
            {
                outcome = await registry.FindByNationalIdAsync(id, actor, token);
            }
            else if (parse.GetValue(document) is { } number)
            {
                outcome = await registry.FindByDocumentNumberAsync(number, actor, token);
            }
            else if (parse.GetValue(surname) is { } name && DateOnly.TryParseExact(parse.GetValue(born), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth))
            {
                outcome = await registry.FindByNameAsync(name, parse.GetValue(given) ?? string.Empty, birth, actor, token);
            }
            else
            {
                await Console.Error.WriteLineAsync("hubctl: give --national-id, --document, --surname with --born (yyyy-MM-dd), or --demo.");
                return 2;
            }

            if (!outcome.Succeeded)
            {
                await Console.Error.WriteLineAsync($"hubctl: {outcome.Errors[0].Message}");
                return 1;
            }

            if (outcome.Value!.Count == 0)
            {
                Console.WriteLine("no person found");
                return 1;
            }

            Console.WriteLine($"{"national id",-12} {"born",-10} name");
            foreach (var p in outcome.Value)
            {
                Console.WriteLine($"{p.NationalId,-12} {p.DateOfBirth:yyyy-MM-dd} {p.Surname}, {p.GivenNames}");
            }

            return 0;
        }, ct));
        return new Command("persons", "The national identity registry.") { find };
    }

    public static Command Eid()
    {
        var nationalId = new Argument<string>("NATIONAL_ID") { Description = "the person's national identifier" };
        var cert = new Option<string?>("--cert") { Description = "print the current certificate as PEM: auth or sign" };
        var show = new Command("show", "Show a person's eIDs (status, validity, certificate serials), or one certificate as PEM.") { nationalId, cert };
        show.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var dossier = await services.GetRequiredService<PersonRegistry>().GetAsync(parse.GetValue(nationalId)!, Operator(), token);
            if (!dossier.Succeeded)
            {
                await Console.Error.WriteLineAsync($"hubctl: {dossier.Errors[0].Message}");
                return 1;
            }

            var eids = dossier.Value!.Eids;
            if (parse.GetValue(cert) is { } which)
            {
                var purpose = which switch
                {
                    "auth" => EidKeyPurpose.Authentication,
                    "sign" => EidKeyPurpose.Signature,
                    _ => throw new ArgumentException("--cert is auth or sign."),
                };
                var key = eids.Where(e => e.Status != EidStatus.Revoked).Select(e => e.Current(purpose)).FirstOrDefault(k => k is not null)
                    ?? eids.Select(e => e.Current(purpose)).FirstOrDefault(k => k is not null);
                if (key is null)
                {
                    await Console.Error.WriteLineAsync("hubctl: this person has no eID certificate.");
                    return 1;
                }

                var db = services.GetRequiredService<HubDbContext>();
                var der = await db.IssuedCertificates.Where(c => c.IssuerName == key.CertificateIssuer && c.SerialNumber == key.CertificateSerial)
                    .Select(c => c.CertificateDer).SingleAsync(token);
                Console.Write(new string(System.Security.Cryptography.PemEncoding.Write("CERTIFICATE", der)) + "\n");
                return 0;
            }

            var p = dossier.Value.Person;
            Console.WriteLine($"person      {p.NationalId}  {p.Surname}, {p.GivenNames}  born {p.DateOfBirth:yyyy-MM-dd}  (record version {p.Version})");
            if (eids.Count == 0)
            {
                Console.WriteLine("no eID");
            }

            foreach (var e in eids)
            {
                Console.WriteLine($"eID         {e.DocumentNumber}  {e.Status.ToString().ToLowerInvariant()}  issued {e.IssuedAt:yyyy-MM-dd}  valid until {e.ExpiresAt:yyyy-MM-dd}"
                    + (e.ActivatedAt is null ? "  not activated" : $"  activated {e.ActivatedAt:yyyy-MM-dd}")
                    + (e.StatusReason is null ? string.Empty : $"  ({e.StatusReason})"));
                foreach (var k in e.Keys)
                {
                    Console.WriteLine($"  {(k.Purpose == EidKeyPurpose.Authentication ? "auth" : "sign"),-4}      {k.Algorithm,-6} {k.CertificateIssuer}/{k.CertificateSerial}"
                        + (k.RetiredAt is null ? string.Empty : $"  retired {k.RetiredAt:yyyy-MM-dd}"));
                }
            }

            return 0;
        }, ct));

        var documentNumber = new Argument<string>("DOCUMENT_NUMBER") { Description = "the eID's document number" };
        var output = new Option<string>("--out") { Description = "where to write the PDF", Required = true };
        var letter = new Command("letter", "Print a new activation letter (PDF) with a fresh one-time code; earlier letters stop working.") { documentNumber, output };
        letter.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var printed = await services.GetRequiredService<EidLifecycle>().PrintLetterAsync(parse.GetValue(documentNumber)!, Operator(), token);
            if (!printed.Succeeded)
            {
                await Console.Error.WriteLineAsync($"hubctl: {printed.Errors[0].Message}");
                return 1;
            }

            await File.WriteAllBytesAsync(parse.GetValue(output)!, services.GetRequiredService<ActivationLetterRenderer>().Render(printed.Value!), token);
            Console.WriteLine($"activation letter written to {parse.GetValue(output)} (code valid until {printed.Value!.CodeExpiresAt:yyyy-MM-dd HH:mm} UTC)");
            return 0;
        }, ct));

        var check = new Command("check", "Check registry consistency: every current eID has both keys and good certificates, and no citizen certificate lacks an eID.");
        check.SetAction((_, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var report = await services.GetRequiredService<RegistryConsistency>().CheckAsync(token);
            foreach (var line in report.Problems)
            {
                Console.WriteLine(line);
            }

            Console.WriteLine(report.Problems.Count == 0
                ? $"registry consistent: {report.Eids} eID(s), {report.Certificates} citizen certificate(s)"
                : $"{report.Problems.Count} problem(s) in {report.Eids} eID(s), {report.Certificates} citizen certificate(s)");
            return report.Problems.Count == 0 ? 0 : 1;
        }, ct));
        return new Command("eid", "National eIDs.") { show, letter, check };
    }

    internal static StaffActor Operator() => StaffActor.System(OperatorIdentity.Current);
}
