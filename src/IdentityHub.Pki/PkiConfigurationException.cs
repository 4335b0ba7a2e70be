namespace IdentityHub.Pki;

/// <summary>The PKI cannot run as configured; the message names what to fix.</summary>
public sealed class PkiConfigurationException : Exception
{
    public PkiConfigurationException()
    {
    }

    public PkiConfigurationException(string message)
        : base(message)
    {
    }

    public PkiConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
