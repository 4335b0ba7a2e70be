using System.Globalization;
using IdentityHub.Enrolment.Lifecycle;
using Microsoft.Extensions.Options;

namespace IdentityHub.Enrolment;

/// <summary>
/// The activation letter an officer prints at issue: one A4 page (<see cref="LetterPdf"/>) with the citizen's name,
/// national identifier, eID number, the one-time activation code and what to do with it.
/// </summary>
public sealed class ActivationLetterRenderer(IOptions<EnrolmentOptions> options)
{
    private readonly LetterPdf _pdf = new(options.Value);

    public byte[] Render(ActivationLetterContent letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var culture = CultureInfo.InvariantCulture;
        return _pdf.Render("eID activation letter",
        [
            new(options.Value.HubName, 11, After: 24),
            new("Your national eID is ready", 22, Bold: true, After: 18),
            new($"{letter.GivenNames} {letter.Surname}", 16, After: 6),
            new($"National identifier: {letter.NationalId}", 12, After: 4),
            new($"eID number: {letter.DocumentNumber}", 12, After: 24),
            new("Your activation code", 14, Bold: true, After: 10),
            new(letter.ActivationCode, 28, After: 10),
            new($"Use it before {letter.CodeExpiresAt.UtcDateTime.ToString("d MMMM yyyy, HH:mm", culture)} UTC. It works once.", 12, After: 24),
            new("How to activate your eID", 14, Bold: true, After: 10),
            new($"1. Go to {options.Value.ActivationUrl}", 12, After: 4),
            new("2. Enter your national identifier and the activation code above.", 12, After: 4),
            new("3. Choose a password and set up a second factor (an authenticator app or a passkey).", 12, After: 24),
            new("Keep this letter safe", 14, Bold: true, After: 10),
            new("Never tell anyone the activation code. We never ask for it by phone, e-mail or text message.", 12, After: 4),
            new("If this letter was lost or opened by someone else, ask a service point to print a new one;", 12, After: 4),
            new("the code on this letter then stops working.", 12, After: 24),
            new($"Printed at service point {letter.ServicePoint} on {letter.PrintedAt.UtcDateTime.ToString("yyyy-MM-dd", culture)}.", 10),
        ]);
    }
}
