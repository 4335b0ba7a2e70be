namespace IdentityHub.Pki;

/// <summary>The database has no PKI yet (or lacks part of it); `hubctl pki init` creates it.</summary>
public sealed class PkiNotInitialisedException : Exception
{
    public PkiNotInitialisedException()
    {
    }

    public PkiNotInitialisedException(string message)
        : base(message)
    {
    }

    public PkiNotInitialisedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
