using System.Security.Cryptography;

namespace IdentityHub.Saml.Saml;

/// <summary>
/// Message and assertion identifiers (saml-core-2.0-os §1.3.4): 128 random bits, so they cannot be guessed or collide.
/// They start with "_" because an xs:ID is an NCName and may not start with a digit.
/// </summary>
internal static class SamlIds
{
    public static string New() => "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
