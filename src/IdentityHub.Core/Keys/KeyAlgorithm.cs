namespace IdentityHub.Core.Keys;

/// <summary>Key types the hub generates inside the HSM.</summary>
public enum KeyAlgorithm
{
    Rsa2048,
    Rsa3072,
    Rsa4096,
    EcP256,
    EcP384,
}

public static class KeyAlgorithms
{
    public static bool IsRsa(this KeyAlgorithm algorithm) =>
        algorithm is KeyAlgorithm.Rsa2048 or KeyAlgorithm.Rsa3072 or KeyAlgorithm.Rsa4096;

    public static int KeySizeInBits(this KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.Rsa2048 => 2048,
        KeyAlgorithm.Rsa3072 => 3072,
        KeyAlgorithm.Rsa4096 => 4096,
        KeyAlgorithm.EcP256 => 256,
        KeyAlgorithm.EcP384 => 384,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown key algorithm."),
    };

    /// <summary>The digest that pairs with the key's strength (NIST SP 800-57 part 1, table 3).</summary>
    public static System.Security.Cryptography.HashAlgorithmName DefaultHash(this KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcP384 or KeyAlgorithm.Rsa4096 => System.Security.Cryptography.HashAlgorithmName.SHA384,
        _ => System.Security.Cryptography.HashAlgorithmName.SHA256,
    };

    /// <summary>Parses the names used in configuration files: RSA-2048, RSA-3072, RSA-4096, P-256, P-384.</summary>
    public static KeyAlgorithm Parse(string name) => name.Trim().ToUpperInvariant() switch
    {
        "RSA-2048" or "RSA2048" => KeyAlgorithm.Rsa2048,
        "RSA-3072" or "RSA3072" => KeyAlgorithm.Rsa3072,
        "RSA-4096" or "RSA4096" => KeyAlgorithm.Rsa4096,
        "P-256" or "EC-P256" or "ECP256" or "SECP256R1" => KeyAlgorithm.EcP256,
        "P-384" or "EC-P384" or "ECP384" or "SECP384R1" => KeyAlgorithm.EcP384,
        _ => throw new FormatException($"Unknown key algorithm '{name}'. Use RSA-2048, RSA-3072, RSA-4096, P-256 or P-384."),
    };

    public static string ToConfigName(this KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.Rsa2048 => "RSA-2048",
        KeyAlgorithm.Rsa3072 => "RSA-3072",
        KeyAlgorithm.Rsa4096 => "RSA-4096",
        KeyAlgorithm.EcP256 => "P-256",
        KeyAlgorithm.EcP384 => "P-384",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown key algorithm."),
    };
}
