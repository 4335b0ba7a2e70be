using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace IdentityHub.Hsm.Tokens;

/// <summary>
/// Which PIN this process logged in to each token with. A PKCS#11 login belongs to the application (v2.40 §5.5), so a
/// second store on the same token meets CKR_USER_ALREADY_LOGGED_IN and the token never judges its PIN; comparing with
/// the PIN that did log in keeps a misconfigured second store from opening. Only a keyed MAC (random key per process)
/// is kept, never the PIN, and it is compared in constant time.
/// </summary>
internal static class LoginRegistry
{
    private static readonly byte[] ProcessKey = RandomNumberGenerator.GetBytes(32);
    private static readonly ConcurrentDictionary<(string Library, string TokenSerial), byte[]> Logins = new();

    public static void Record(string library, string tokenSerial, string pin) =>
        Logins[(library, tokenSerial)] = Tag(pin);

    /// <returns>False only when this process logged in to the token with a different PIN.</returns>
    public static bool Matches(string library, string tokenSerial, string pin) =>
        !Logins.TryGetValue((library, tokenSerial), out var recorded) || CryptographicOperations.FixedTimeEquals(recorded, Tag(pin));

    private static byte[] Tag(string pin)
    {
        var bytes = Encoding.UTF8.GetBytes(pin);
        try
        {
            return HMACSHA256.HashData(ProcessKey, bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
