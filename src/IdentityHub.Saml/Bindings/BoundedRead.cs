namespace IdentityHub.Saml.Bindings;

/// <summary>Reads what another party sends (a metadata document, an SP's SOAP answer) without holding more than a limit of it.</summary>
internal static class BoundedRead
{
    /// <summary>The stream's bytes, or null when it holds more than <paramref name="maxBytes"/> (reading stops one byte past the limit).</summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, int maxBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[maxBytes + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), ct);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return read > maxBytes ? null : buffer[..read];
    }
}
