using System.Net;

namespace IdentityHub.Saml.Http;

/// <summary>The frame of the IdP's own pages (refusals, logout outcomes): the hub's header and column, its stylesheet, no script.</summary>
internal static class HubPage
{
    public static string Html(string title, string body) => $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{WebUtility.HtmlEncode(title)} – IdentityHub</title><link rel="stylesheet" href="/assets/hub.css"></head>
        <body><header class="header"><div class="width header-row"><span class="brand">IdentityHub</span></div></header>
        <main id="main"><div class="width">
        {body}</div></main></body></html>
        """;
}
