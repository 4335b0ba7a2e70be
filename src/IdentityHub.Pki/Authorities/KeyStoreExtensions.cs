using IdentityHub.Core.Keys;

namespace IdentityHub.Pki.Authorities;

internal static class KeyStoreExtensions
{
    /// <summary>The key a registry row names; its absence means the database and the token do not belong together.</summary>
    public static ISigningKey Require(this IKeyStore keys, string keyId, string owner) =>
        keys.Find(keyId) ?? throw new PkiConfigurationException(
            $"The HSM token (Hsm:TokenLabel) has no key {keyId} for {owner}: the database and the token do not belong together.");
}
