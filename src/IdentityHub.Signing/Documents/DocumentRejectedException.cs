namespace IdentityHub.Signing.Documents;

/// <summary>
/// Stable reasons a document is refused before anything is signed (or validated). The APIs answer them as
/// ProblemDetails with this code as "type" suffix, the CSC API as its error, and pages as a message; nothing is signed.
/// </summary>
public static class DocumentProblems
{
    public const string TooLarge = "document-too-large";
    public const string NotPdf = "not-a-pdf";
    public const string DamagedPdf = "damaged-pdf";
    public const string EncryptedPdf = "encrypted-pdf";
    public const string NotXml = "not-xml";
    public const string XmlDtd = "xml-dtd";
    public const string NotContainer = "not-an-asic-container";
    public const string ZipBomb = "container-too-large";
    public const string UnsafeEntryName = "unsafe-entry-name";
    public const string Unsupported = "unsupported-document";
    public const string NoSignature = "no-signature-found";
}

/// <summary>A document the service will not sign or read, with a stable code from <see cref="DocumentProblems"/>.</summary>
public sealed class DocumentRejectedException : Exception
{
    public DocumentRejectedException()
    {
        Code = DocumentProblems.Unsupported;
    }

    public DocumentRejectedException(string message)
        : base(message)
    {
        Code = DocumentProblems.Unsupported;
    }

    public DocumentRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = DocumentProblems.Unsupported;
    }

    public DocumentRejectedException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    public string Code { get; }
}
