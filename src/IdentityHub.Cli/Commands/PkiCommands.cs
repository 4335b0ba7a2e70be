using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using System.Globalization;
using IdentityHub.Core.Keys;
using IdentityHub.Hsm;
using IdentityHub.Pki;
using IdentityHub.Pki.Authorities;
using Org.BouncyCastle.Asn1.X509;

namespace IdentityHub.Cli.Commands;

internal static class PkiCommands
{
    public static Command Create() => new("pki", "Certificate authorities, certificates, CRLs.")
    {
        Init(),
        Status(),
        IssueTestCertificate(),
        Revoke(),
    };

    private static Command Init()
    {
        var command = new Command("init", "Create the CA hierarchy of pki/hierarchy.json inside the HSM (idempotent; renews responder and service certificates near expiry).");
        command.SetAction((_, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var report = await services.GetRequiredService<PkiInitializer>().InitializeAsync(token);
            foreach (var item in report.Created)
            {
                Console.WriteLine($"created   {item}");
            }

            foreach (var item in report.Renewed)
            {
                Console.WriteLine($"renewed   {item}");
            }

            Console.WriteLine($"unchanged {report.Unchanged.Count} item(s)");
            return 0;
        }, ct));
        return command;
    }

    private static Command Status()
    {
        var command = new Command("status", "Show the CAs, their keys, issued and revoked counts, CRL numbers and service credentials.");
        command.SetAction((_, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var hsm = services.GetRequiredService<HsmKeyStore>();
            hsm.CheckHealth();
            Console.WriteLine($"HSM token   {hsm.TokenLabel} (serial {hsm.TokenSerialNumber}, {hsm.ManufacturerId})");
            var status = await services.GetRequiredService<PkiStatusReader>().ReadAsync(token);
            if (status.Authorities.Count == 0)
            {
                Console.WriteLine("No CA yet: run `hubctl pki init`.");
                return 1;
            }

            Console.WriteLine();
            Console.WriteLine($"{"CA",-14} {"key",-8} {"valid until",-12} {"issued",7} {"revoked",8} {"CRL#",5}  {"CRL next update",-17} subject");
            foreach (var ca in status.Authorities)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{ca.Name,-14} {ca.KeyAlgorithm,-8} {ca.NotAfter:yyyy-MM-dd}   {ca.Issued,7} {ca.Revoked,8} {ca.CrlNumber,5}  {ca.CrlNextUpdate:yyyy-MM-dd HH:mm}  {ca.Subject}"));
            }

            Console.WriteLine();
            Console.WriteLine($"{"credential",-22} {"issuer",-14} {"key",-8} {"valid until",-12} serial");
            foreach (var c in status.Credentials)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.Purpose,-22} {c.IssuerName,-14} {c.KeyAlgorithm,-8} {c.NotAfter:yyyy-MM-dd}   {c.SerialNumber}"));
            }

            return 0;
        }, ct));
        return command;
    }

    private static Command IssueTestCertificate()
    {
        var commonName = new Option<string>("--cn") { Description = "Subject common name.", DefaultValueFactory = _ => "IdentityHub Smoke Test" };
        var profile = new Option<string>("--profile") { Description = "Profile from pki/hierarchy.json.", DefaultValueFactory = _ => "test-authentication" };
        var output = new Option<FileInfo?>("--out") { Description = "Write the certificate (PEM) here instead of standard output." };
        var command = new Command("issue-test-cert", "Generate a key in the HSM and issue a short-lived test certificate for it, to smoke-test CRL, OCSP and chains.")
        {
            commonName, profile, output,
        };
        command.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var profileName = parse.GetRequiredValue(profile);
            var keys = services.GetRequiredService<IKeyStore>();
            var key = keys.Generate($"test-{DateTime.UtcNow:yyyyMMddHHmmss}", KeyAlgorithm.EcP256);
            var subject = new X509Name($"CN={parse.GetRequiredValue(commonName).Replace(",", "\\,", StringComparison.Ordinal)}");
            var issued = await services.GetRequiredService<CertificateIssuer>().IssueAsync(profileName, subject, key.SubjectPublicKeyInfo.ToArray(), token, OperatorIdentity.Current);
            var pem = PemText.Certificate(issued.Der);
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, pem, token);
            }
            else
            {
                Console.Write(pem);
            }

            await Console.Error.WriteLineAsync($"issued serial {issued.SerialNumber} by CA {issued.IssuerName} (profile {issued.Profile}, HSM key {key.KeyId})");
            return 0;
        }, ct));
        return command;
    }

    private static Command Revoke()
    {
        var serial = new Argument<string>("serial") { Description = "Serial number in hex (as `pki issue-test-cert` or `openssl x509 -serial` print it)." };
        var reason = new Option<string>("--reason") { Description = "RFC 5280 reason.", DefaultValueFactory = _ => "unspecified" };
        reason.AcceptOnlyFromAmong("unspecified", "keyCompromise", "cACompromise", "affiliationChanged", "superseded", "cessationOfOperation",
            "certificateHold", "privilegeWithdrawn", "aACompromise");
        var ca = new Option<string?>("--ca") { Description = "The issuing CA, when the serial alone is ambiguous." };
        var command = new Command("revoke", "Revoke a certificate; the CA's CRL is re-signed and OCSP answers `revoked` at once.") { serial, reason, ca };
        command.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var why = Enum.Parse<RevocationReason>(parse.GetRequiredValue(reason), ignoreCase: true);
            var outcome = await services.GetRequiredService<RevocationService>().RevokeAsync(parse.GetRequiredValue(serial), why, parse.GetValue(ca), token, OperatorIdentity.Current);
            Console.WriteLine(outcome.AlreadyRevoked
                ? $"already revoked: serial {outcome.SerialNumber} of CA {outcome.IssuerName} since {outcome.RevokedAt:u} ({outcome.Reason})"
                : $"revoked serial {outcome.SerialNumber} of CA {outcome.IssuerName} at {outcome.RevokedAt:u} ({outcome.Reason})");
            return 0;
        }, ct));
        return command;
    }
}

internal static class PemText
{
    public static string Certificate(byte[] der) => new string(System.Security.Cryptography.PemEncoding.Write("CERTIFICATE", der)) + "\n";
}
