using IdentityHub.Signing.Asic;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Pdf.Structure;
using IdentityHub.Signing.Xades;

namespace IdentityHub.Signing.Requests;

/// <summary>
/// Reads each document the way its format's signer will, when it arrives: a request that was accepted can be signed,
/// and a bad file (an encrypted or damaged PDF, XML with a DTD, a name no container may hold) is refused at upload
/// with <see cref="DocumentRejectedException"/>'s code, before the citizen is asked to confirm anything.
/// </summary>
public static class DocumentPreflight
{
    /// <param name="certify">PAdES: the request certifies the document (DocMDP), which only its first signature may do.</param>
    public static void Check(string format, SignedFile file, bool certify = false)
    {
        ArgumentNullException.ThrowIfNull(file);
        switch (format)
        {
            case RequestFormats.Pades:
                if (!DocumentSniffing.IsPdf(file.Content.Span))
                {
                    throw new DocumentRejectedException(DocumentProblems.NotPdf, "This is not a PDF file, whatever its name says.");
                }

                var pdf = PdfFile.Open(file.Content); // throws EncryptedPdf / DamagedPdf
                if (certify && Pdf.Signatures.SignatureRevision.IsSignedOrCertified(pdf))
                {
                    // ISO 32000-1 §12.8.2.2.1: one certification signature per document, and it is the first signature.
                    throw new DocumentRejectedException(DocumentProblems.Unsupported, "The PDF is already signed: only its first signature can certify it, so sign it without certification.");
                }

                if (Pdf.Signatures.SignatureRevision.CertifiedWithoutChanges(pdf))
                {
                    // ISO 32000-1 §12.8.2.2.2: P=1 permits no change, so another signature would break the certification.
                    throw new DocumentRejectedException(DocumentProblems.Unsupported, "The PDF is certified with no changes permitted (DocMDP P=1): it cannot be signed again.");
                }
                break;
            case RequestFormats.Xades when DocumentSniffing.IsXml(file):
                _ = XmlDocuments.Load(file.Content); // throws XmlDtd / NotXml
                break;
            case RequestFormats.Asice:
                AsicEntryNames.Check([file]);
                break;
            default:
                break; // CAdES and detached XAdES sign any bytes
        }
    }
}
