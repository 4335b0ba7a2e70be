namespace IdentityHub.Authentication.Staff;

/// <summary>A staff account as the console and hubctl list it.</summary>
public sealed record StaffAccountSummary(
    string UserName, string DisplayName, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt, bool MustChangePassword, bool Disabled)
{
    /// <summary>The service points the member is assigned to (sorted).</summary>
    public IReadOnlyList<string> ServicePoints { get; init; } = [];
}

/// <summary>
/// The outcome of creating a staff account. On success <see cref="OneTimePassword"/> is the only copy: show it once,
/// never log or store it. On failure <see cref="Error"/> says why in words an operator can act on.
/// </summary>
public sealed record StaffAccountCreation(string? UserName, string? OneTimePassword, string? Error)
{
    public bool Succeeded => Error is null;

    public static StaffAccountCreation Failed(string error) => new(null, null, error);
}
