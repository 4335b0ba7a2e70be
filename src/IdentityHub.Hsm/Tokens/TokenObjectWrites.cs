namespace IdentityHub.Hsm.Tokens;

/// <summary>
/// One token object created at a time in this process. SoftHSM's file object store fails now and then
/// (CKR_GENERAL_ERROR from C_GenerateKeyPair or C_GenerateKey) when several threads create token objects at once
/// (softhsm/SoftHSMv2 issue 573); tests start several hubs in one process, each creating its PKI keys. Creating token
/// objects is rare (PKI initialisation, renewal, the evidence key), so the lock costs nothing that matters; session
/// objects (citizen keys, unwrapped for one signature) do not take it.
/// </summary>
internal static class TokenObjectWrites
{
    public static readonly Lock Gate = new();
}
