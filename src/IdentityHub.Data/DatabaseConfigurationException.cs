namespace IdentityHub.Data;

/// <summary>The database settings are missing or unusable; the message names the setting.</summary>
public sealed class DatabaseConfigurationException : Exception
{
    public DatabaseConfigurationException()
    {
    }

    public DatabaseConfigurationException(string message)
        : base(message)
    {
    }

    public DatabaseConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
