namespace IdentityHub.Data.Accounts;

/// <summary>The staff roles, seeded by the AddAccounts migration.</summary>
public static class StaffRoles
{
    public const string Officer = "officer";
    public const string Supervisor = "supervisor";
    public const string Auditor = "auditor";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Officer, Supervisor, Auditor, Admin];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
