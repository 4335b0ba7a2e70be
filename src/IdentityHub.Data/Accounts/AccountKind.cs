namespace IdentityHub.Data.Accounts;

/// <summary>Who an account belongs to. Staff work in the officer console; citizens arrive with enrolment (a later issue).</summary>
public enum AccountKind
{
    Staff = 1,
    Citizen = 2,
}
