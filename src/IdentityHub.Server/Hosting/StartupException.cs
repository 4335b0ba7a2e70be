namespace IdentityHub.Server.Hosting;

/// <summary>Start-up cannot go on; the message is one line that names the setting to fix.</summary>
public sealed class StartupException : Exception
{
    public StartupException()
    {
    }

    public StartupException(string message)
        : base(message)
    {
    }

    public StartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
