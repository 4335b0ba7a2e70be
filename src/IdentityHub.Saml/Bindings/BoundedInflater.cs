using System.IO.Compression;

namespace IdentityHub.Saml.Bindings;

/// <summary>
/// Raw DEFLATE (RFC 1951, no zlib header; saml-bindings-2.0-os §3.4.4.1) inflated into a buffer of at most
/// <c>maxBytes</c>: a deflate bomb stops being read at the cap instead of being inflated in full.
/// </summary>
internal static class BoundedInflater
{
    /// <returns>The inflated bytes; <c>TooLarge</c> when the output passes the cap; null bytes when the input is not raw DEFLATE.</returns>
    public static (byte[]? Bytes, bool TooLarge) Inflate(byte[] deflated, int maxBytes)
    {
        try
        {
            using var input = new MemoryStream(deflated, writable: false);
            using var inflater = new DeflateStream(input, CompressionMode.Decompress);
            byte[] buffer = new byte[maxBytes + 1];
            int total = 0;
            while (total < buffer.Length)
            {
                int read = inflater.Read(buffer, total, buffer.Length - total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            if (total > maxBytes)
            {
                return (null, true);
            }

            return total == 0 ? (null, false) : (buffer[..total], false);
        }
        catch (InvalidDataException)
        {
            return (null, false);
        }
    }
}
