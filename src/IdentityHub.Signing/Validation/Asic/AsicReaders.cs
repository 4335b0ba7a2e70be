using IdentityHub.Signing.Containers;
using Microsoft.Extensions.Options;

namespace IdentityHub.Signing.Validation.Asic;

/// <summary>
/// Recognises an ASiC container without inflating it: the type from the file extension (EN 319 162-1 §4.3.1 ".asics"/".scs",
/// §4.4.1 ".asice"/".sce"), else from the zip signature and the data objects; the signature format from the names in
/// META-INF. A container whose directory cannot be read is still claimed by one reader, so that reading it reports why.
/// </summary>
internal static class AsicRecognition
{
    public static (AsicType Type, bool Cades)? Recognise(ValidationInput input, SigningOptions limits)
    {
        string extension = Path.GetExtension(input.Name).ToLowerInvariant();
        AsicType? type = extension switch
        {
            ".asice" or ".sce" => AsicType.Extended,
            ".asics" or ".scs" => AsicType.Simple,
            _ => null,
        };
        bool zip = input.Document.Span.StartsWith("PK\u0003\u0004"u8);
        if (type is null && !zip)
        {
            return null;
        }

        IReadOnlyList<string>? names = ZipDirectory.TryReadNames(input.Document.Span, limits.MaxContainerEntries);
        if (names is null)
        {
            // Unreadable or hostile: only a container by name is claimed (a bare zip may be anything).
            return type is null ? null : (type.Value, type == AsicType.Simple);
        }

        if (type is null)
        {
            bool signed = names.Any(n => n.StartsWith("META-INF/signature", StringComparison.Ordinal) || n.Contains("signatures", StringComparison.Ordinal));
            if (!signed)
            {
                return null;
            }

            int dataObjects = names.Count(n => !n.StartsWith("META-INF/", StringComparison.Ordinal) && n != ZipContainer.MimetypeEntryName && !n.EndsWith('/'));
            type = dataObjects == 1 && !names.Any(n => n.StartsWith("META-INF/ASiCManifest", StringComparison.Ordinal) || n == "META-INF/manifest.xml")
                ? AsicType.Simple
                : AsicType.Extended;
        }

        bool xades = names.Any(n => AsicContainerReading.IsXadesSignatures(n, type.Value));
        bool cades = names.Any(n => AsicContainerReading.IsCadesSignature(n, type.Value));
        return (type.Value, cades && !xades);
    }
}

/// <summary>ASiC-E with XAdES: the Estonian and EU everyday container (EN 319 162-1 §4.4.3.1).</summary>
internal sealed class AsicEXadesReader(IOptions<SigningOptions> options) : ISignatureReader
{
    public string Container => "ASiC-E (XAdES)";

    public bool CanRead(ValidationInput input) => AsicRecognition.Recognise(input, options.Value) == (AsicType.Extended, false);

    public Task<IReadOnlyList<SignatureEvidence>> ReadAsync(ValidationInput input, CancellationToken cancellationToken) =>
        Task.FromResult(AsicContainerReading.Read(input, AsicType.Extended, options.Value));
}

/// <summary>ASiC-E with CAdES over ASiCManifest files (EN 319 162-1 §4.4.3.2).</summary>
internal sealed class AsicECadesReader(IOptions<SigningOptions> options) : ISignatureReader
{
    public string Container => "ASiC-E (CAdES)";

    public bool CanRead(ValidationInput input) => AsicRecognition.Recognise(input, options.Value) == (AsicType.Extended, true);

    public Task<IReadOnlyList<SignatureEvidence>> ReadAsync(ValidationInput input, CancellationToken cancellationToken) =>
        Task.FromResult(AsicContainerReading.Read(input, AsicType.Extended, options.Value));
}

/// <summary>ASiC-S with XAdES over its one data object (EN 319 162-1 §4.3.3.1).</summary>
internal sealed class AsicSXadesReader(IOptions<SigningOptions> options) : ISignatureReader
{
    public string Container => "ASiC-S (XAdES)";

    public bool CanRead(ValidationInput input) => AsicRecognition.Recognise(input, options.Value) == (AsicType.Simple, false);

    public Task<IReadOnlyList<SignatureEvidence>> ReadAsync(ValidationInput input, CancellationToken cancellationToken) =>
        Task.FromResult(AsicContainerReading.Read(input, AsicType.Simple, options.Value));
}

/// <summary>ASiC-S with CAdES over its one data object (EN 319 162-1 §4.3.3.2).</summary>
internal sealed class AsicSCadesReader(IOptions<SigningOptions> options) : ISignatureReader
{
    public string Container => "ASiC-S (CAdES)";

    public bool CanRead(ValidationInput input) => AsicRecognition.Recognise(input, options.Value) == (AsicType.Simple, true);

    public Task<IReadOnlyList<SignatureEvidence>> ReadAsync(ValidationInput input, CancellationToken cancellationToken) =>
        Task.FromResult(AsicContainerReading.Read(input, AsicType.Simple, options.Value));
}
