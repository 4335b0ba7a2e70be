using System.CommandLine;
using IdentityHub.Enrolment.Letters;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Cli.Commands;

/// <summary>
/// hubctl recovery-letters …: the letters citizens asked for by post (/recover/request), printed by the operator to
/// PDFs addressed to each person's registered postal address (docs/operator-guide.md, "Recovery letters by post").
/// </summary>
internal static class RecoveryLetterCommands
{
    public static Command Create() => new("recovery-letters", "Account recovery letters asked for by post.") { Queue(), Print() };

    private static Command Queue()
    {
        var command = new Command("queue", "Say how many letters wait to be printed.");
        command.SetAction((_, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            Console.WriteLine($"{await services.GetRequiredService<RecoveryLetters>().QueuedAsync(token)} letter(s) wait to be printed");
            return 0;
        }, ct));
        return command;
    }

    private static Command Print()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "directory for the PDFs (created if needed; each file holds a one-time code: keep it private)", Required = true };
        var command = new Command("print", "Print every queued letter to a PDF in --out, addressed to the registered postal address, and record it printed (audited).") { output };
        command.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var directory = parse.GetValue(output)!;
            directory.Create();
            var renderer = services.GetRequiredService<RecoveryLetterRenderer>();
            var printed = await services.GetRequiredService<RecoveryLetters>().PrintQueuedAsync(OperatorIdentity.Current, async (letter, t) =>
            {
                // Written before the letter is recorded printed: a file that cannot be written leaves the letter queued.
                var path = Path.Combine(directory.FullName, $"recovery-letter-{letter.LetterId:N}.pdf");
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                await using var file = new FileStream(path, options);
                await file.WriteAsync(renderer.Render(letter), t);
                Console.WriteLine(path);
            }, token);
            Console.WriteLine($"{printed} letter(s) printed");
            return 0;
        }, ct));
        return command;
    }
}
