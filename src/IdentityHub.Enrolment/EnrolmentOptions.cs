namespace IdentityHub.Enrolment;

/// <summary>Settings of the enrolment area, bound from the "Enrolment" configuration section.</summary>
public sealed class EnrolmentOptions
{
    public const string SectionName = "Enrolment";

    /// <summary>Four-eyes rule: a second officer with the supervisor role approves an enrolment before the eID is issued.</summary>
    public bool RequireSupervisorApproval { get; set; } = true;

    /// <summary>How long an activation code from the letter stays usable.</summary>
    public TimeSpan ActivationCodeLifetime { get; set; } = TimeSpan.FromDays(30);
}
