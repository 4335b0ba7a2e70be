using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace IdentityHub.Testing.Saml;

/// <summary>How the SSO endpoint answered one request.</summary>
public enum SsoReplyKind
{
    /// <summary>302 to /saml/sso/continue/…: the request was taken (and stored).</summary>
    Accepted,

    /// <summary>400 with the hub's "sign-in request refused" page and a sentence saying why.</summary>
    ErrorPage,

    /// <summary>200 with an HTML form posting a SAML error Response to an ACS.</summary>
    SamlError,

    /// <summary>A 5xx, a stack trace or an exception type name in the body.</summary>
    ServerError,

    /// <summary>Anything else (a status or page the SSO endpoint should never give).</summary>
    Other,
}

/// <summary>One answer of /saml/sso, read the way an SP's browser and the SP would see it.</summary>
public sealed partial record SsoReply(HttpStatusCode Status, string Body, string? Location)
{
    public const string ContinuePath = "/saml/sso/continue/";

    public SsoReplyKind Kind => (int)Status >= 500 || LooksLikeAStackTrace(Body)
        ? SsoReplyKind.ServerError
        : Status == HttpStatusCode.Redirect && Location?.StartsWith(ContinuePath, StringComparison.Ordinal) == true
            ? SsoReplyKind.Accepted
            : Status == HttpStatusCode.BadRequest && Problem is { Length: > 0 }
                ? SsoReplyKind.ErrorPage
                : Status == HttpStatusCode.OK && SamlResponse is not null && TopStatus is { } top && top != "urn:oasis:names:tc:SAML:2.0:status:Success"
                    ? SsoReplyKind.SamlError
                    : SsoReplyKind.Other;

    /// <summary>The error page's sentence (HTML-decoded).</summary>
    public string? Problem => ProblemParagraph().Match(Body) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;

    /// <summary>The form's action: where the browser would post the SAML message.</summary>
    public string? FormAction => FormActionPattern().Match(Body) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;

    public string? SamlResponse => HubWebClient.HiddenValue(Body, "SAMLResponse");

    public string? RelayState => HubWebClient.HiddenValue(Body, "RelayState");

    /// <summary>The posted Response, decoded.</summary>
    public XmlDocument? Response => SamlResponse is { } base64 ? AuthnRequests.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(base64))) : null;

    public string? TopStatus => StatusCodes()?.Top;

    public string? SecondStatus => StatusCodes()?.Second;

    public string? InResponseTo => Response?.DocumentElement?.GetAttributeNode("InResponseTo")?.Value;

    public static async Task<SsoReply> ReadAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l.PathAndQuery : l.OriginalString) : null;
        return new SsoReply(response.StatusCode, await response.Content.ReadAsStringAsync(), location);
    }

    public override string ToString() => $"{(int)Status} {Kind} {Location ?? Problem ?? TopStatus ?? Body[..Math.Min(Body.Length, 300)]}";

    private (string Top, string? Second)? StatusCodes()
    {
        var response = Response;
        if (response is null)
        {
            return null;
        }

        var manager = new XmlNamespaceManager(response.NameTable);
        manager.AddNamespace("samlp", AuthnRequests.Protocol);
        var top = (XmlElement?)response.SelectSingleNode("/samlp:Response/samlp:Status/samlp:StatusCode", manager);
        var second = (XmlElement?)top?.SelectSingleNode("samlp:StatusCode", manager);
        return top is null ? null : (top.GetAttribute("Value"), second?.GetAttribute("Value"));
    }

    private static bool LooksLikeAStackTrace(string body) =>
        body.Contains("Exception", StringComparison.Ordinal) || StackFrame().IsMatch(body);

    [GeneratedRegex("<p id=\"saml-problem\">([^<]*)</p>")]
    private static partial Regex ProblemParagraph();

    [GeneratedRegex("<form [^>]*action=\"([^\"]*)\"")]
    private static partial Regex FormActionPattern();

    [GeneratedRegex(@"\bat [A-Za-z_][\w.`]*\.[\w<>`]+\(")]
    private static partial Regex StackFrame();
}
