using IdentityHub.Signing.Validation;

namespace IdentityHub.Signing.Pdf;

/// <summary>How a PDF is signed (ETSI EN 319 142-1 baseline level and the signature field's presentation).</summary>
public sealed record PadesParameters
{
    /// <summary>B-B, B-T, B-LT or B-LTA.</summary>
    public SignatureLevel Level { get; init; } = SignatureLevel.BaselineB;

    /// <summary>Draw a box on the first page with the signer's name, the signing time and the level.</summary>
    public bool Visible { get; init; }

    /// <summary>Where the visible box goes: [llx lly urx ury] in the first page's user space; null for the lower-left corner.</summary>
    public IReadOnlyList<double>? Rectangle { get; init; }

    public string? Reason { get; init; }

    public string? Location { get; init; }

    /// <summary>
    /// 1, 2 or 3 to make a certification signature (ISO 32000-1 §12.8.2.2 DocMDP: 1 no changes, 2 form filling and
    /// signing, 3 also annotations); only the first signature of a document may certify it. Null: approval signature.
    /// </summary>
    public int? CertificationPermission { get; init; }

    /// <summary>The name shown in the visible box and written as /Name; the certificate's common name when null.</summary>
    public string? SignerDisplayName { get; init; }
}
