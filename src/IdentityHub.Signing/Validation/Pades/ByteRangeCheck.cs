namespace IdentityHub.Signing.Validation.Pades;

/// <summary>What a valid ByteRange covers: the two file segments, the revision it ends, and the /Contents hole.</summary>
internal sealed record ByteRangeCoverage(IReadOnlyList<ReadOnlyMemory<byte>> Segments, int End, int Revision, int Revisions);

/// <summary>
/// Checks a signature dictionary's /ByteRange (ISO 32000-1 §12.8.1, EN 319 142-1 §5.3 / ETSI TS 102 778): four
/// non-negative integers [0 a b c]: the first range starts at 0; the hole between the ranges is exactly this
/// dictionary's /Contents hexadecimal string, delimiters included; the ranges do not overlap; nothing lies outside
/// the file; and the second range ends where a revision ends (its %%EOF) or at the end of the file. Anything else
/// means the signed bytes are not the document the signature claims (e.g. DSS-2451 overlapping ranges).
/// </summary>
internal static class ByteRangeCheck
{
    public static ByteRangeCoverage Check(PdfFile file, PdfDictionary signature, out string? problem)
    {
        problem = null;
        var length = file.Bytes.Length;
        if (signature["ByteRange"] is not PdfArray { Items.Count: 4 } array || array.Items.Any(i => i is not PdfNumber { IsInteger: true, Value: >= 0 and <= int.MaxValue }))
        {
            problem = "The /ByteRange is not four non-negative integers.";
            return Empty;
        }

        var range = array.Items.Cast<PdfNumber>().Select(n => (long)n.Value).ToArray();
        if (signature["Contents"] is not PdfString { Hex: true } contents)
        {
            problem = "The signature's /Contents is not a hexadecimal string.";
            return Empty;
        }

        if (range[0] != 0)
        {
            problem = "The /ByteRange does not start at the beginning of the file.";
        }
        else if (range[1] != contents.Start || range[2] != contents.End)
        {
            problem = $"The gap in the /ByteRange ({range[1]}–{range[2]}) is not this signature's /Contents ({contents.Start}–{contents.End}), so bytes outside the signature value are unsigned or the value is signed.";
        }
        else if (range[2] < range[1] || range[2] + range[3] > length)
        {
            problem = "The /ByteRange overlaps itself or runs past the end of the file.";
        }

        if (problem is not null)
        {
            return Empty;
        }

        var end = (int)(range[2] + range[3]);
        var revision = file.RevisionEnds.ToList().FindIndex(e => e == end || EndsAtEof(file, end, e));
        if (revision < 0 && end != length)
        {
            problem = $"The /ByteRange ends at byte {end}, which is neither the end of a revision (%%EOF) nor the end of the file.";
            return Empty;
        }

        var revisions = Math.Max(file.RevisionEnds.Count, 1);
        return new ByteRangeCoverage(
            [file.Bytes[..(int)range[1]], file.Bytes.Slice((int)range[2], (int)range[3])],
            end,
            revision < 0 ? revisions : revision + 1,
            revisions);
    }

    // A writer may end the signed range right after "%%EOF" or after the end-of-line that follows it.
    private static bool EndsAtEof(PdfFile file, int end, int revisionEnd) =>
        end >= 5 && end <= revisionEnd && file.Text.AsSpan(end - 5, 5).SequenceEqual("%%EOF");

    private static ByteRangeCoverage Empty { get; } = new([], 0, 0, 0);
}
