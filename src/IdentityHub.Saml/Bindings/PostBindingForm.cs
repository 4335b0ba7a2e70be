using System.Text;
using System.Text.Encodings.Web;

namespace IdentityHub.Saml.Bindings;

/// <summary>
/// saml-bindings-2.0-os §3.5.4: the HTML form that carries a message to the SP by the user agent. It posts itself with the
/// hub's own script file (the hub's CSP allows no inline script; no inline event handlers either) and shows a Continue
/// button for when JavaScript is off. Every value is HTML-attribute-encoded, and the page loads nothing from elsewhere.
/// </summary>
internal static class PostBindingForm
{
    /// <summary>The hub's script that submits the form (src/IdentityHub.Server/wwwroot/assets/saml-post.js).</summary>
    public const string Script = "/assets/saml-post.js";

    public static string Html(string acsUrl, string messageParameter, string base64Message, string? relayState, string? scriptUrl = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(acsUrl);
        ArgumentException.ThrowIfNullOrEmpty(base64Message);
        if (messageParameter is not ("SAMLResponse" or "SAMLRequest"))
        {
            throw new ArgumentException("The message parameter is SAMLResponse or SAMLRequest (saml-bindings §3.5.4).", nameof(messageParameter));
        }

        var encoder = HtmlEncoder.Default;
        var html = new StringBuilder(base64Message.Length + 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Append("<title>Returning you to the service</title>\n</head>\n<body>\n<main>\n")
            .Append("<h1>Returning you to the service</h1>\n")
            .Append("<form id=\"saml-post\" method=\"post\" action=\"").Append(encoder.Encode(acsUrl)).Append("\">\n")
            .Append("<input type=\"hidden\" name=\"").Append(messageParameter).Append("\" value=\"").Append(encoder.Encode(base64Message)).Append("\">\n");
        if (relayState is not null)
        {
            // §3.5.3: RelayState goes back exactly as the SP sent it.
            html.Append("<input type=\"hidden\" name=\"RelayState\" value=\"").Append(encoder.Encode(relayState)).Append("\">\n");
        }

        html.Append("<noscript><p>JavaScript is turned off in this browser, so the page cannot continue by itself. ")
            .Append("Select Continue to go back to the service.</p></noscript>\n")
            .Append("<button type=\"submit\">Continue</button>\n</form>\n</main>\n")
            .Append("<script src=\"").Append(encoder.Encode(scriptUrl ?? Script)).Append("\"></script>\n</body>\n</html>\n");
        return html.ToString();
    }
}
