using System.Security.Cryptography;

namespace IdentityHub.Authentication.Staff;

/// <summary>
/// One-time passwords for new staff accounts: 20 characters from an alphabet without look-alikes (about 99 bits),
/// in groups of five so they can be read out or typed from paper. The holder must replace it at first sign-in.
/// </summary>
internal static class OneTimePasswords
{
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    public static string Create()
    {
        var raw = RandomNumberGenerator.GetString(Alphabet, 20);
        return string.Join('-', raw.Chunk(5).Select(c => new string(c)));
    }
}
