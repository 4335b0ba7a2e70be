namespace IdentityHub.Data.Accounts;

/// <summary>The staff roles, seeded by the AddAccounts migration.</summary>
public static class StaffRoles
{
    public const string Officer = "officer";
    public const string Supervisor = "supervisor";
    public const string Auditor = "auditor";
    public const string Admin = "admin";

    /// <summary>The national helpdesk: may look up any person and eID and suspend or resume an eID anywhere; every look is audited.</summary>
    public const string Helpdesk = "helpdesk";

    public static IReadOnlyList<string> All { get; } = [Officer, Supervisor, Auditor, Admin, Helpdesk];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
