using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace IdentityHub.Testing;

/// <summary>One HTTP answer as a test reads it.</summary>
public sealed record WebPage(HttpStatusCode Status, string Body, string? Location)
{
    public string? Hidden(string name) => HubWebClient.HiddenValue(Body, name);
}

/// <summary>
/// A browser without a browser: one cookie jar, no automatic redirects, and forms posted with the antiforgery token of
/// the page they came from — the hub's pages as an HTTP client sees them (for protocol tests and benchmarks).
/// </summary>
public sealed partial class HubWebClient : IDisposable
{
    private readonly HttpClient _http;

    public HubWebClient(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = baseAddress };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("IdentityHubTests/1.0 Chrome/156");
    }

    public CookieContainer Cookies { get; }

    public Uri BaseAddress => _http.BaseAddress!;

    public async Task<WebPage> GetAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
        return await ReadAsync(response);
    }

    /// <summary>GETs <paramref name="pagePath"/> for its antiforgery token, then POSTs the fields to <paramref name="postPath"/> (default: the page).</summary>
    public async Task<WebPage> SubmitAsync(string pagePath, IReadOnlyDictionary<string, string> fields, string? postPath = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var page = await GetAsync(pagePath);
        return await PostAsync(postPath ?? pagePath, fields, TokenOf(page.Body));
    }

    public async Task<WebPage> PostAsync(string path, IReadOnlyDictionary<string, string> fields, string? token)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var all = new Dictionary<string, string>(fields);
        if (token is not null)
        {
            all["__RequestVerificationToken"] = token;
        }

        using var form = new FormUrlEncodedContent(all);
        using var response = await _http.PostAsync(new Uri(path, UriKind.Relative), form);
        return await ReadAsync(response);
    }

    /// <summary>POSTs a multipart form (as a form with a file input sends it) with one file, and the antiforgery token.</summary>
    public async Task<WebPage> PostFileAsync(string path, IReadOnlyDictionary<string, string> fields, string fileField, string fileName, string contentType, byte[] content, string? token)
    {
        ArgumentNullException.ThrowIfNull(fields);
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        if (token is not null)
        {
            form.Add(new StringContent(token), "__RequestVerificationToken");
        }

        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        form.Add(file, fileField, fileName);
        using var response = await _http.PostAsync(new Uri(path, UriKind.Relative), form);
        return await ReadAsync(response);
    }

    /// <summary>Asks a page for passkey options as its script does; returns the challenge id and the options JSON.</summary>
    public async Task<(Guid ChallengeId, string OptionsJson)> PasskeyOptionsAsync(string pagePath)
    {
        var page = await GetAsync(pagePath);
        var answer = await PostAsync(pagePath.Split('?')[0] + "?handler=PasskeyOptions", new Dictionary<string, string>(), TokenOf(page.Body));
        if (answer.Status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"passkey options from {pagePath}: {(int)answer.Status} {answer.Location}");
        }

        using var json = JsonDocument.Parse(answer.Body);
        return (json.RootElement.GetProperty("challengeId").GetGuid(), json.RootElement.GetProperty("options").GetRawText());
    }

    /// <summary>Posts a passkey answer to a page's handler (Passkey for sign-in, Register for registration).</summary>
    public async Task<WebPage> PostPasskeyAsync(string pagePath, string handler, Guid challengeId, string credentialJson, IReadOnlyDictionary<string, string>? extra = null)
    {
        var page = await GetAsync(pagePath);
        var fields = new Dictionary<string, string>(extra ?? new Dictionary<string, string>())
        {
            ["ChallengeId"] = challengeId.ToString(),
            ["Credential"] = credentialJson,
        };
        return await PostAsync(pagePath.Split('?')[0] + "?handler=" + handler, fields, TokenOf(page.Body));
    }

    public static string TokenOf(string html) =>
        TokenPattern().Match(html) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("the page has no antiforgery token");

    public static string? HiddenValue(string html, string name) =>
        Regex.Match(html, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"") is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;

    public void Dispose() => _http.Dispose();

    private static async Task<WebPage> ReadAsync(HttpResponseMessage response) =>
        new(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.OriginalString);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
