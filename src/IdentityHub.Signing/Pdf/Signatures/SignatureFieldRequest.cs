namespace IdentityHub.Signing.Pdf.Signatures;

/// <summary>
/// One signature (or document time-stamp) field and its signature dictionary (ISO 32000-1 §12.8.1 table 252).
/// </summary>
/// <param name="Type">"Sig" for a signature, "DocTimeStamp" for a document time-stamp (ISO 32000-2 §12.8.5).</param>
/// <param name="SubFilter">"ETSI.CAdES.detached" (EN 319 142-1 §5.3) or "ETSI.RFC3161" (§5.4).</param>
/// <param name="ContentsBytes">Bytes reserved for the DER value of /Contents (written as twice as many hex digits).</param>
/// <param name="SigningTime">/M, the claimed signing time; null for a document time-stamp (its token holds the time).</param>
/// <param name="DocMdpPermission">1, 2 or 3 to certify the document (§12.8.2.2 DocMDP); null for an approval signature.</param>
internal sealed record SignatureFieldRequest(
    string Type,
    string SubFilter,
    int ContentsBytes,
    DateTimeOffset? SigningTime = null,
    string? Reason = null,
    string? Location = null,
    string? Name = null,
    int? DocMdpPermission = null,
    SignatureAppearance? Appearance = null);
