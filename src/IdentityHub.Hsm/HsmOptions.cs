namespace IdentityHub.Hsm;

/// <summary>Which PKCS#11 token holds the hub's keys (configuration section "Hsm").</summary>
public sealed class HsmOptions
{
    public const string SectionName = "Hsm";

    /// <summary>Path of the vendor's PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so.</summary>
    public string LibraryPath { get; set; } = string.Empty;

    /// <summary>CKA_LABEL of the token (the partition) to use.</summary>
    public string TokenLabel { get; set; } = string.Empty;

    /// <summary>The token's user PIN. Supply it from a secret store or environment variable (Hsm__Pin), never from a committed file.</summary>
    public string Pin { get; set; } = string.Empty;

    /// <summary>Upper bound of concurrently open PKCS#11 sessions; defaults to twice the processor count.</summary>
    public int MaxSessions { get; set; } = 2 * Environment.ProcessorCount;

    /// <summary>One-line descriptions of what is wrong, each naming its configuration key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(LibraryPath))
        {
            errors.Add("Hsm:LibraryPath is not set: give the path of the PKCS#11 module (e.g. /usr/lib/softhsm/libsofthsm2.so).");
        }
        else if (!File.Exists(LibraryPath))
        {
            errors.Add($"Hsm:LibraryPath '{LibraryPath}' does not exist: install the HSM's PKCS#11 module or fix the path.");
        }

        if (string.IsNullOrWhiteSpace(TokenLabel))
        {
            errors.Add("Hsm:TokenLabel is not set: give the label of the token that holds the hub's keys.");
        }

        if (string.IsNullOrEmpty(Pin))
        {
            errors.Add("Hsm:Pin is not set: supply the token's user PIN (e.g. environment variable Hsm__Pin).");
        }

        if (MaxSessions < 1)
        {
            errors.Add("Hsm:MaxSessions must be at least 1.");
        }

        return errors;
    }
}
