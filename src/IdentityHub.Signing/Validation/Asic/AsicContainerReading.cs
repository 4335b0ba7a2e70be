using System.Xml;
using IdentityHub.Signing.Containers;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Validation.Xades;

namespace IdentityHub.Signing.Validation.Asic;

/// <summary>The two container types of EN 319 162-1: ASiC-S (§4.3, one data object) and ASiC-E (§4.4, any number).</summary>
internal enum AsicType
{
    Simple,
    Extended,
}

/// <summary>
/// Reads every signature of an ASiC container through <see cref="SafeZipReader"/>: XAdES in META-INF/*signatures*.xml
/// (EN 319 162-1 §4.3.3 / §4.4.3) verified detached over the container's files, CAdES in META-INF/signature*.p7s over the
/// single data object (ASiC-S, §4.3.3.2) or over an ASiCManifest whose digests cover the files (ASiC-E, §4.4.3.2), and
/// archive time-stamps over ASiCArchiveManifest files (§4.4.3.2 / annex A.5).
/// </summary>
internal static class AsicContainerReading
{
    private const string MetaInf = "META-INF/";
    private const string MimetypeE = "application/vnd.etsi.asic-e+zip";
    private const string MimetypeS = "application/vnd.etsi.asic-s+zip";

    public static IReadOnlyList<SignatureEvidence> Read(ValidationInput input, AsicType type, SigningOptions limits)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(limits);
        if (input.Document.Length > limits.MaxDocumentBytes)
        {
            throw new DocumentRejectedException(DocumentProblems.TooLarge, $"the container is larger than {limits.MaxDocumentBytes} bytes");
        }

        ZipContainer container = SafeZipReader.Read(input.Document, limits);
        string? containerProblem = MimetypeProblem(container, type);
        // EN 319 162-1 §A.1 wants "mimetype" first and stored; DSS accepts containers that break this and so does the
        // hub, with a warning: the signatures themselves are what is judged.
        string? containerWarning = null;
        if (containerProblem is not null && container.HasMimetype && (!container.MimetypeFirst || !container.MimetypeStored))
        {
            (containerWarning, containerProblem) = (containerProblem, null);
        }

        List<SignedFile> dataFiles = [.. container.Entries
            .Where(e => !e.IsDirectory && !e.Name.StartsWith(MetaInf, StringComparison.Ordinal) && e.Name != ZipContainer.MimetypeEntryName)
            .Select(e => new SignedFile(e.Name, "application/octet-stream", e.Content))];
        if (type == AsicType.Simple && dataFiles.Count != 1)
        {
            containerProblem ??= $"an ASiC-S container holds exactly one data object, this one {dataFiles.Count}";
        }

        var evidence = new List<SignatureEvidence>();
        foreach (ZipContainerEntry entry in container.Entries.Where(e => IsXadesSignatures(e.Name, type)))
        {
            evidence.AddRange(ReadXades(entry, dataFiles, limits));
        }

        List<TimestampEvidence> containerArchives = ArchiveTimestamps(container, limits);
        foreach (ZipContainerEntry entry in container.Entries.Where(e => IsCadesSignature(e.Name, type)))
        {
            evidence.AddRange(ReadCades(container, entry, type, dataFiles, containerArchives, evidence.Count + 1, limits));
        }

        if (evidence.Count == 0)
        {
            throw new DocumentRejectedException(DocumentProblems.NoSignature, "the container holds no signature in META-INF");
        }

        if (containerWarning is not null)
        {
            evidence = [.. evidence.Select(e => e with { Warnings = [.. e.Warnings, containerWarning] })];
        }

        return containerProblem is null ? evidence : [.. evidence.Select(e => e with { FormatProblem = e.FormatProblem ?? containerProblem })];
    }

    /// <summary>
    /// EN 319 162-1 §A.1: when present, "mimetype" is the first entry, stored without compression, holding the container's
    /// media type, so that the type can be read at a fixed offset.
    /// </summary>
    private static string? MimetypeProblem(ZipContainer container, AsicType type)
    {
        if (!container.HasMimetype)
        {
            return null;
        }

        if (!container.MimetypeFirst || !container.MimetypeStored)
        {
            return "\"mimetype\" must be the first entry of the container and stored uncompressed (EN 319 162-1 §A.1)";
        }

        string expected = type == AsicType.Extended ? MimetypeE : MimetypeS;
        return container.Mimetype == expected ? null : $"\"mimetype\" declares {container.Mimetype}, not {expected}";
    }

    /// <summary>
    /// One signatures file; a file that is not XML, or holds a DTD, is that signature's format problem (the container's
    /// other signatures are still read). Resource limits (<see cref="DocumentProblems.TooLarge"/>) still refuse the container.
    /// </summary>
    private static IEnumerable<SignatureEvidence> ReadXades(ZipContainerEntry entry, List<SignedFile> dataFiles, SigningOptions limits)
    {
        try
        {
            XmlDocument document = SafeXml.Load(entry.Content, limits.MaxDocumentBytes);
            return XadesReader.Read(document, dataFiles, limits.MaxDocumentBytes).Select(e => e with { Id = $"{entry.Name}#{e.Id}" });
        }
        catch (DocumentRejectedException ex) when (ex.Code is DocumentProblems.NotXml or DocumentProblems.XmlDtd or DocumentProblems.NoSignature)
        {
            return [new SignatureEvidence { Id = entry.Name, Format = SignatureFormat.Xades, ClaimedLevel = SignatureLevel.None, FormatProblem = $"{entry.Name}: {ex.Message}" }];
        }
    }

    private static IEnumerable<SignatureEvidence> ReadCades(
        ZipContainer container, ZipContainerEntry entry, AsicType type, List<SignedFile> dataFiles, List<TimestampEvidence> archives, int ordinal, SigningOptions limits)
    {
        byte[] content;
        List<string> manifestProblems = [];
        string[] signedObjects;
        if (type == AsicType.Simple)
        {
            if (dataFiles.Count != 1)
            {
                return [Broken(ordinal, "an ASiC-S CAdES signature needs exactly one data object")];
            }

            content = dataFiles[0].Content.ToArray();
            signedObjects = [dataFiles[0].Name];
        }
        else
        {
            // The ASiCManifest whose SigReference names this signature file (EN 319 162-1 §A.4).
            AsicManifest? manifest = Manifests(container, limits, "ASiCManifest").FirstOrDefault(m => m.SigReference == entry.Name);
            if (manifest is null)
            {
                return [Broken(ordinal, $"no META-INF/ASiCManifest*.xml references {entry.Name}")];
            }

            content = manifest.Bytes;
            manifestProblems.AddRange(manifest.Check(container));
            signedObjects = [manifest.Name, .. manifest.References.Select(r => r.Uri)];
        }

        return CmsSignatureReader.Read(entry.Content.ToArray(), content, ordinal).Select(e => e with
        {
            Id = $"{entry.Name}#{e.Id}",
            DataIntact = e.DataIntact == true && manifestProblems.Count == 0,
            DataProblem = string.Join("; ", new[] { e.DataProblem }.Concat(manifestProblems).OfType<string>()) is { Length: > 0 } p ? p : null,
            SignedObjects = signedObjects,
            ArchiveTimestamps = [.. e.ArchiveTimestamps, .. archives],
            ClaimedLevel = archives.Count > 0 && e.ClaimedLevel >= SignatureLevel.BaselineT ? SignatureLevel.BaselineLTA : e.ClaimedLevel,
            Certificates = [.. e.Certificates.Concat(archives.SelectMany(a => TimeStampTokens.Certificates(a.Token))).DistinctBy(Convert.ToBase64String)],
        });
    }

    /// <summary>
    /// Container archive time-stamps (EN 319 162-1 §4.4.3.2, annex A.5): META-INF/timestamp*.tst over the
    /// ASiCArchiveManifest that names it. Its imprint must match the manifest's bytes and every digest in the manifest
    /// must match the file it names; either failing makes the time-stamp's imprint count as not matching.
    /// </summary>
    private static List<TimestampEvidence> ArchiveTimestamps(ZipContainer container, SigningOptions limits)
    {
        var found = new List<TimestampEvidence>();
        List<AsicManifest> manifests = [.. Manifests(container, limits, "ASiCArchiveManifest")];
        foreach (ZipContainerEntry entry in container.Entries.Where(e => e.Name.StartsWith(MetaInf + "timestamp", StringComparison.Ordinal) && e.Name.EndsWith(".tst", StringComparison.Ordinal)))
        {
            AsicManifest? manifest = manifests.FirstOrDefault(m => m.SigReference == entry.Name);
            if (manifest is null)
            {
                continue;
            }

            TimestampEvidence stamp = TimeStampTokens.Evaluate(entry.Content.ToArray(), manifest.Bytes, $"imprint does not match {manifest.Name}");
            IReadOnlyList<string> problems = manifest.Check(container);
            found.Add(problems.Count == 0 ? stamp : stamp with { ImprintMatches = false, Problem = string.Join("; ", problems) });
        }

        return found;
    }

    private static IEnumerable<AsicManifest> Manifests(ZipContainer container, SigningOptions limits, string prefix) =>
        container.Entries
            .Where(e => e.Name.StartsWith(MetaInf + prefix, StringComparison.Ordinal) && e.Name.EndsWith(".xml", StringComparison.Ordinal))
            .Select(e => AsicManifest.TryRead(e, limits.MaxDocumentBytes))
            .OfType<AsicManifest>();

    public static bool IsXadesSignatures(string name, AsicType type) =>
        name.StartsWith(MetaInf, StringComparison.Ordinal) && name.EndsWith(".xml", StringComparison.Ordinal)
        && (type == AsicType.Simple ? name == MetaInf + "signatures.xml" : name[MetaInf.Length..].Contains("signatures", StringComparison.Ordinal));

    public static bool IsCadesSignature(string name, AsicType type) =>
        type == AsicType.Simple ? name == MetaInf + "signature.p7s"
        : name.StartsWith(MetaInf + "signature", StringComparison.Ordinal) && name.EndsWith(".p7s", StringComparison.Ordinal);

    private static SignatureEvidence Broken(int ordinal, string problem) =>
        new() { Id = $"signer-{ordinal}", Format = SignatureFormat.Cades, ClaimedLevel = SignatureLevel.None, FormatProblem = problem };
}
