namespace IdentityHub.Oidc.SigningKeys;

/// <summary>
/// The life of a signing key (decision 0018): next (published, never signs) → current (signs) → retired (published until
/// its grace ends, never signs) → removed (no longer published). "Removed" is never stored: it is a retired key whose
/// grace has ended.
/// </summary>
public static class SigningKeyStates
{
    public const string Next = "next";

    public const string Current = "current";

    public const string Retired = "retired";

    public const string Removed = "removed";
}
