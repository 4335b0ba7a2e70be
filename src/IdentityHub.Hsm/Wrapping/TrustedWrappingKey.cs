using IdentityHub.Hsm.Keys;
using IdentityHub.Hsm.Tokens;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace IdentityHub.Hsm;

/// <summary>
/// The token's one trusted wrapping key (../shared ARCHITECTURE.md, "Keys at national scale"): AES-256, CKA_TRUSTED,
/// sensitive and non-extractable. Only the Security Officer can mark a key trusted (PKCS#11 v2.40 §4.7.2), and an SO
/// session can only create public objects, so it is CKA_PRIVATE false; it still never leaves the token. Citizen keys
/// carry CKA_WRAP_WITH_TRUSTED, so this is the only key that can wrap them out.
/// </summary>
public static class TrustedWrappingKey
{
    public const string DefaultLabel = "citizen-key-wrap";

    /// <summary>
    /// Creates the wrapping key unless the token has one. Logs in as SO, so the calling process must not be logged in
    /// to this token as user (PKCS#11 logins are per application): run it before the hub opens the token.
    /// </summary>
    /// <returns>True when it created the key, false when it existed.</returns>
    public static bool Ensure(HsmOptions options, string soPin, string label = DefaultLabel)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(soPin);
        var library = Pkcs11Modules.Acquire(options.LibraryPath);
        try
        {
            var slot = library.GetSlotList(SlotsType.WithTokenPresent).FirstOrDefault(s => s.GetTokenInfo().Label.Trim() == options.TokenLabel)
                ?? throw new HsmConfigurationException($"Hsm:TokenLabel '{options.TokenLabel}' matches no token in {options.LibraryPath}.");
            using var session = slot.OpenSession(SessionType.ReadWrite);
            try
            {
                session.Login(CKU.CKU_SO, soPin);
            }
            catch (Pkcs11Exception ex) when (ex.RV is CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_LEN_RANGE)
            {
                throw new HsmConfigurationException($"Hsm:SoPin is not the Security Officer PIN of token '{options.TokenLabel}' ({ex.RV}).", ex);
            }

            try
            {
                var f = Pkcs11Modules.Factories.ObjectAttributeFactory;
                if (session.FindAllObjects([f.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY), f.Create(CKA.CKA_LABEL, label)]).Count > 0)
                {
                    return false;
                }

                using var mechanism = Pkcs11Modules.Factories.MechanismFactory.Create(CKM.CKM_AES_KEY_GEN);
                return TokenObjectWrites.Create(slot.GetTokenInfo().SerialNumber.Trim(), () =>
                {
                    session.GenerateKey(mechanism, KeyTemplates.ForAes256(label, KeyTemplates.AesUse.WrapKeys, trusted: true));
                    return true;
                });
            }
            finally
            {
                session.Logout();
            }
        }
        finally
        {
            Pkcs11Modules.Release(options.LibraryPath);
        }
    }
}
