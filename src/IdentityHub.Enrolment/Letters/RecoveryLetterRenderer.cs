using System.Globalization;
using Microsoft.Extensions.Options;

namespace IdentityHub.Enrolment.Letters;

/// <summary>
/// The account recovery letter (<see cref="RecoveryLetters"/>): one A4 page (<see cref="LetterPdf"/>). A posted letter
/// starts with the name and registered address where a window envelope shows them.
/// </summary>
public sealed class RecoveryLetterRenderer(IOptions<EnrolmentOptions> options)
{
    private readonly LetterPdf _pdf = new(options.Value);

    public byte[] Render(RecoveryLetterContent letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var culture = CultureInfo.InvariantCulture;
        var lines = new List<LetterLine> { new(options.Value.HubName, 11, After: 24) };
        if (letter.PostalAddress is { } address)
        {
            lines.Add(new($"{letter.GivenNames} {letter.Surname}", 12, After: 4));
            lines.AddRange(address.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(l => new LetterLine(l, 12, After: 4)));
            lines[^1] = lines[^1] with { After = 36 };
        }

        lines.AddRange(
        [
            new("Your account recovery code", 22, Bold: true, After: 18),
            new($"{letter.GivenNames} {letter.Surname}", 16, After: 6),
            new($"National identifier: {letter.NationalId}", 12, After: 24),
            new("Your recovery code", 14, Bold: true, After: 10),
            new(letter.Code, 28, After: 10),
            new($"Use it before {letter.CodeExpiresAt.UtcDateTime.ToString("d MMMM yyyy, HH:mm", culture)} UTC. It works once.", 12, After: 24),
            new("How to sign in again", 14, Bold: true, After: 10),
            new($"1. Go to {options.Value.RecoveryUrl}", 12, After: 4),
            new("2. Enter your national identifier, the recovery code above and a new password.", 12, After: 4),
            new("3. Set up a second factor again (an authenticator app or a passkey).", 12, After: 24),
            new("What changes", 14, Bold: true, After: 10),
            new("Your password, authenticator apps, passkeys and recovery codes are replaced, and every session", 12, After: 4),
            new("ends. Your eID, its certificates and keys, and the permissions you gave services stay as they are.", 12, After: 24),
            new("Keep this letter safe", 14, Bold: true, After: 10),
            new("Never tell anyone the recovery code. We never ask for it by phone, e-mail or text message.", 12, After: 4),
            new("If you did not ask for this letter, tell a service point. A newer letter replaces this one.", 12, After: 24),
            new(letter.PostalAddress is null
                ? $"Printed at service point {letter.PrintedBy} on {letter.PrintedAt.UtcDateTime.ToString("yyyy-MM-dd", culture)}."
                : $"Posted to your registered address on {letter.PrintedAt.UtcDateTime.ToString("yyyy-MM-dd", culture)}.", 10),
        ]);
        return _pdf.Render("Account recovery letter", lines);
    }
}
