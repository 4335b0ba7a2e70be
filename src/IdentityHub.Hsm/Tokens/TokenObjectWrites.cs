using Net.Pkcs11Interop.Common;

namespace IdentityHub.Hsm.Tokens;

/// <summary>
/// Creating token objects one at a time. SoftHSM's file object store fails now and then (CKR_GENERAL_ERROR from
/// C_GenerateKeyPair or C_GenerateKey) when several threads or processes create objects in one token at once
/// (softhsm/SoftHSMv2 issue 573); tests run several hubs and test processes on one token, and several hub processes
/// may share a SoftHSM token on one machine. So creation takes a lock in this process and an exclusive lock file per
/// token (beside the machine's temporary files), and a creation that still fails is tried again: with a general error,
/// or with CKR_TEMPLATE_INCONSISTENT, which SoftHSM also returns when it reads back the object it is writing (its class
/// or key type) while another session of the token refreshes the object store (seen once in CI: PKI initialisation of
/// a test hub while other test processes used the token). Our templates are fixed, so a template that is really
/// inconsistent fails all attempts the same way and is reported as such.
/// Creating token objects is rare (PKI initialisation, renewal, the evidence key); session objects (citizen keys,
/// unwrapped for one signature) never take the lock.
/// </summary>
internal static class TokenObjectWrites
{
    private const int Attempts = 3;
    private static readonly Lock Gate = new();

    public static T Create<T>(string tokenSerial, Func<T> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        using (Gate.EnterScope())
        using (AcquireFileLock(tokenSerial))
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return create();
                }
                catch (Pkcs11Exception ex) when (ex.RV is CKR.CKR_GENERAL_ERROR or CKR.CKR_FUNCTION_FAILED or CKR.CKR_TEMPLATE_INCONSISTENT && attempt < Attempts)
                {
                    Thread.Sleep(20 * attempt);
                }
            }
        }
    }

    private static FileStream AcquireFileLock(string tokenSerial)
    {
        var path = Path.Combine(Path.GetTempPath(), $"identityhub-token-{string.Concat(tokenSerial.Where(char.IsLetterOrDigit))}.lock");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(10);
            }
        }
    }
}
