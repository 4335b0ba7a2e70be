namespace IdentityHub.Enrolment;

/// <summary>Settings of the enrolment area, bound from the "Enrolment" configuration section.</summary>
public sealed class EnrolmentOptions
{
    public const string SectionName = "Enrolment";

    /// <summary>Four-eyes rule: a second officer with the supervisor role approves an enrolment before the eID is issued.</summary>
    public bool RequireSupervisorApproval { get; set; } = true;

    /// <summary>How long an activation code from the letter stays usable.</summary>
    public TimeSpan ActivationCodeLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a recovery letter's code stays usable once printed (docs/authentication.md, "Recovery").</summary>
    public TimeSpan RecoveryCodeLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Where citizens use a recovery letter, printed on it.</summary>
    public string RecoveryUrl { get; set; } = "https://eid.identityhub.example/recover";

    /// <summary>
    /// How many letters by post one account may be sent in 30 days: asking is anonymous, so this caps what anyone who
    /// knows a national identifier can make the hub post (and how often they can replace the citizen's newest letter).
    /// </summary>
    public int PostedRecoveryLettersPer30Days { get; set; } = 3;

    /// <summary>Where citizens activate their eID, printed on the activation letter.</summary>
    public string ActivationUrl { get; set; } = "https://eid.identityhub.example/activate";

    /// <summary>The issuer's name at the top of the letter.</summary>
    public string HubName { get; set; } = "IdentityHub national eID";

    /// <summary>
    /// Where the letter's TrueType fonts are (Debian: fonts-liberation). Names and the code use the regular face; the
    /// bold face only prints the letter's fixed English headings (PdfPig cannot subset every composite glyph of the bold
    /// and monospace faces).
    /// </summary>
    public string LetterFontDirectory { get; set; } = "/usr/share/fonts/truetype/liberation";

    public string LetterFontRegular { get; set; } = "LiberationSans-Regular.ttf";

    public string LetterFontBold { get; set; } = "LiberationSans-Bold.ttf";
}
