namespace IdentityHub.Hsm;

/// <summary>The HSM cannot be used as configured. The message is one line naming the configuration key; it never contains the PIN.</summary>
public sealed class HsmConfigurationException : Exception
{
    public HsmConfigurationException()
    {
    }

    public HsmConfigurationException(string message)
        : base(message)
    {
    }

    public HsmConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
