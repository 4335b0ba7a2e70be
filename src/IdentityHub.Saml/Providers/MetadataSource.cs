using System.Net;
using System.Net.Http.Headers;
using IdentityHub.Saml.Metadata;

namespace IdentityHub.Saml.Providers;

/// <summary>
/// SP metadata as read by an operator's hand (`hubctl saml sp add --metadata`, the console's upload and URL fields):
/// the raw bytes, never parsed here (ServiceProviders does that), or the reason they could not be read.
/// </summary>
/// <param name="Metadata">The document's bytes; null when <paramref name="Reason"/> says why not.</param>
/// <param name="Source">The file name or URL, as kept on the SP (saml.service_providers.MetadataSource).</param>
/// <param name="Reason">Why it could not be read (lower case, no final stop), for "could not be read from …: reason".</param>
public sealed record MetadataRead(byte[]? Metadata, string Source, string? Reason)
{
    /// <summary>The refusal as one sentence, for a page.</summary>
    public string? Problem => Reason is null ? null : $"The metadata could not be read from {Source}: {Reason}.";
}

/// <summary>
/// Reads an SP's metadata from a file, an upload or a URL, the same way for hubctl and the console. The document is
/// untrusted and comes from outside: at most 1 MiB (<see cref="SpMetadataReader.MaxBytes"/>), read in a bounded
/// buffer; URLs over https only (plain http only to a loopback address, as for ACS URLs), 15 seconds at most, at most
/// three redirects (never from https down to http). Every failure is a reason, never an exception.
/// </summary>
public static class MetadataSource
{
    public const int MaxBytes = SpMetadataReader.MaxBytes;

    /// <summary>Longest URL or file name kept as the source (the column holds 2000 characters).</summary>
    public const int MaxSourceLength = 2000;

    public static TimeSpan FetchTimeout { get; } = TimeSpan.FromSeconds(15);

    /// <summary>hubctl's --metadata: an http(s) URL is fetched, anything else is a file path.</summary>
    public static Task<MetadataRead> ReadAsync(string fileOrUrl, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(fileOrUrl);
        return LooksLikeUrl(fileOrUrl) ? FetchAsync(fileOrUrl, ct) : ReadFileAsync(fileOrUrl, ct);
    }

    /// <summary>Whether the text names an http or https URL (the console's refresh offers a fetch only then).</summary>
    public static bool LooksLikeUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";

    public static async Task<MetadataRead> ReadFileAsync(string path, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                return new MetadataRead(null, path, "there is no such file");
            }

            await using var stream = file.OpenRead();
            return await ReadBoundedAsync(stream, file.Length, path, ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new MetadataRead(null, path, "the file cannot be read (" + ex.Message.TrimEnd('.') + ")");
        }
    }

    /// <summary>An uploaded file; <paramref name="fileName"/> is the name the browser gave, kept without any directory.</summary>
    public static async Task<MetadataRead> ReadUploadAsync(Stream content, long length, string? fileName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        var name = UploadName(fileName);
        try
        {
            return await ReadBoundedAsync(content, length, name, ct);
        }
        catch (IOException ex)
        {
            return new MetadataRead(null, name, "the upload was cut short (" + ex.Message.TrimEnd('.') + ")");
        }
    }

    public static async Task<MetadataRead> FetchAsync(string url, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        var source = url.Trim();
        if (source.Length > MaxSourceLength)
        {
            return new MetadataRead(null, source[..80] + "…", $"the URL is longer than {MaxSourceLength} characters");
        }

        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || string.IsNullOrEmpty(uri.Host))
        {
            return new MetadataRead(null, source, "it is not an https URL");
        }

        if (uri.Scheme == "http" && !uri.IsLoopback)
        {
            return new MetadataRead(null, source, "metadata is fetched over https only (plain http only from this machine)");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return new MetadataRead(null, source, "the URL must not carry a user name or password");
        }

        // SocketsHttpHandler never follows a redirect from https to http; a loopback http URL is not redirected at all
        // (it could lead off this machine in clear). Three hops are plenty for a published file.
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = uri.Scheme == "https", MaxAutomaticRedirections = 3, UseCookies = false, ConnectTimeout = FetchTimeout };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(FetchTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/samlmetadata+xml"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/xml", 0.9));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/xml", 0.8));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return new MetadataRead(null, source, $"the server answered HTTP {(int)response.StatusCode} ({Describe(response.StatusCode)})");
            }

            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            return await ReadBoundedAsync(body, response.Content.Headers.ContentLength ?? -1, source, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new MetadataRead(null, source, $"the server did not answer within {FetchTimeout.TotalSeconds:0} seconds");
        }
        catch (HttpRequestException ex)
        {
            return new MetadataRead(null, source, ex.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => "the host name does not resolve",
                HttpRequestError.ConnectionError => "no connection could be made to the server",
                HttpRequestError.SecureConnectionError => "the TLS connection failed (is the server's certificate valid and trusted?)",
                _ => "the request failed (" + ex.Message.TrimEnd('.') + ")",
            });
        }
        catch (IOException ex)
        {
            return new MetadataRead(null, source, "the answer was cut short (" + ex.Message.TrimEnd('.') + ")");
        }
    }

    /// <summary>Reads at most <see cref="MaxBytes"/>; one byte more means the document is too large, whatever the length said.</summary>
    private static async Task<MetadataRead> ReadBoundedAsync(Stream stream, long length, string source, CancellationToken ct)
    {
        if (length > MaxBytes)
        {
            return new MetadataRead(null, source, $"it is {length} bytes; the limit is {MaxBytes} bytes (1 MiB)");
        }

        var bytes = await Bindings.BoundedRead.ReadAsync(stream, MaxBytes, ct);
        return bytes is null ? new MetadataRead(null, source, $"it is larger than the limit of {MaxBytes} bytes (1 MiB)")
            : bytes.Length == 0 ? new MetadataRead(null, source, "it is empty")
            : new MetadataRead(bytes, source, null);
    }

    /// <summary>The browser's file name without any directory or control character, at most 200 characters.</summary>
    private static string UploadName(string? fileName)
    {
        var name = Path.GetFileName((fileName ?? "").Replace('\\', '/'));
        name = new string([.. name.Where(c => !char.IsControl(c))]).Trim();
        if (name.Length > 200)
        {
            name = name[..200];
        }

        return name.Length == 0 ? "an uploaded file" : "uploaded file " + name;
    }

    private static string Describe(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => "Not Found",
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.InternalServerError => "Internal Server Error",
        _ => status.ToString(),
    };
}
