namespace IdentityHub.Enrolment.Http;

/// <summary>Looks up a staff account's roles, so a counter device can act for the officer signed in at the counter.</summary>
public interface IStaffDirectory
{
    /// <summary>The roles of an enabled staff account, or null when there is no such (enabled) account.</summary>
    Task<IReadOnlySet<string>?> RolesOfAsync(string userName, CancellationToken cancellationToken);
}
