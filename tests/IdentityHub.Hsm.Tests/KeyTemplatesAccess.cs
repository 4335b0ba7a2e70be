using IdentityHub.Core.Keys;
using IdentityHub.Hsm.Keys;
using Net.Pkcs11Interop.HighLevelAPI;

namespace IdentityHub.Hsm.Tests;

/// <summary>The production templates, so the attribute tests check exactly what the vault uses.</summary>
internal static class KeyTemplatesAccess
{
    public static (IMechanism Mechanism, List<IObjectAttribute> Public, List<IObjectAttribute> Private) ForWrappedSessionKey(KeyAlgorithm algorithm) =>
        KeyTemplates.ForWrappedSessionKey(algorithm);
}
