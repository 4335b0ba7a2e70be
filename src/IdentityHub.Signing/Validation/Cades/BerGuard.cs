using IdentityHub.Signing.Documents;

namespace IdentityHub.Signing.Validation.Cades;

/// <summary>
/// Walks a BER/DER encoding (X.690 §8.1) iteratively before any ASN.1 library parses it, so hostile nesting or
/// lengths cannot exhaust the stack or memory: every length must fit inside its parent, nesting and the number of
/// elements are bounded. Returns the length of the first complete element (a PDF's /Contents is zero-padded after it).
/// </summary>
internal static class BerGuard
{
    public const int MaxDepth = 48;
    public const int MaxElements = 1_000_000;

    public static int CheckedLength(ReadOnlySpan<byte> data)
    {
        var position = 0;
        var elements = 0;
        var open = new Stack<(int End, bool Indefinite)>();
        do
        {
            var parentEnd = open.Count == 0 ? data.Length : open.Peek().End;
            if (open.Count > 0 && open.Peek().Indefinite && position + 1 < parentEnd && data[position] == 0 && data[position + 1] == 0)
            {
                position += 2; // end-of-contents octets close an indefinite-length element (X.690 §8.1.5)
                open.Pop();
                CloseFinished(open, position);
                continue;
            }

            if (++elements > MaxElements)
            {
                throw Rejected("too many ASN.1 elements");
            }

            position = ReadHeader(data, position, parentEnd, out var constructed, out var length);
            if (length < 0)
            {
                if (!constructed)
                {
                    throw Rejected("indefinite length on a primitive element");
                }

                open.Push((parentEnd, true));
            }
            else if (constructed && length > 0)
            {
                open.Push((position + length, false));
            }
            else
            {
                position += length;
                CloseFinished(open, position);
            }

            if (open.Count > MaxDepth)
            {
                throw Rejected("nesting is too deep");
            }
        }
        while (open.Count > 0);

        return position;
    }

    private static void CloseFinished(Stack<(int End, bool Indefinite)> open, int position)
    {
        while (open.Count > 0 && !open.Peek().Indefinite && position == open.Peek().End)
        {
            open.Pop();
        }
    }

    /// <summary>Reads tag and length octets; length is -1 for the indefinite form.</summary>
    private static int ReadHeader(ReadOnlySpan<byte> data, int position, int end, out bool constructed, out int length)
    {
        if (position >= end)
        {
            throw Rejected("truncated data");
        }

        var tag = data[position++];
        constructed = (tag & 0x20) != 0;
        if ((tag & 0x1F) == 0x1F)
        {
            var count = 0;
            do
            {
                if (position >= end || ++count > 4)
                {
                    throw Rejected("a tag is truncated or too long");
                }
            }
            while ((data[position++] & 0x80) != 0);
        }

        if (position >= end)
        {
            throw Rejected("truncated length");
        }

        var first = data[position++];
        if (first == 0x80)
        {
            length = -1;
            return position;
        }

        long value = first;
        if ((first & 0x80) != 0)
        {
            var octets = first & 0x7F;
            if (octets > 4 || octets > end - position)
            {
                throw Rejected("a length is truncated or too large");
            }

            value = 0;
            for (var i = 0; i < octets; i++)
            {
                value = (value << 8) | data[position++];
            }
        }

        if (value > end - position)
        {
            throw Rejected("a length runs past its container");
        }

        length = (int)value;
        return position;
    }

    private static DocumentRejectedException Rejected(string why) =>
        new(DocumentProblems.Unsupported, $"The CMS structure is malformed: {why}.");
}
