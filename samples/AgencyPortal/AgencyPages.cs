using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace AgencyPortal;

/// <summary>The agency's pages: plain HTML, every value encoded.</summary>
public static class AgencyPages
{
    private static readonly string[] Shown = ["sub", "acr", "amr", "given_name", "family_name", "birthdate", "auth_time"];

    public static IEndpointRouteBuilder MapAgencyPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Page("Agency portal", "<p><a href=\"/account\">Sign in with your national eID</a></p>"));

        app.MapGet("/account", (HttpContext http, IAntiforgery antiforgery) =>
        {
            var list = new StringBuilder("<dl id=\"claims\">");
            foreach (var type in Shown)
            {
                var values = http.User.FindAll(type).Select(c => c.Value).ToList();
                if (values.Count > 0)
                {
                    list.Append("<dt>").Append(Encode(type)).Append("</dt><dd id=\"claim-").Append(Encode(type)).Append("\">")
                        .Append(Encode(string.Join(' ', values))).Append("</dd>");
                }
            }

            var tokens = antiforgery.GetAndStoreTokens(http);
            var form = $"<form method=\"post\" action=\"/signout\"><input type=\"hidden\" name=\"{Encode(tokens.FormFieldName)}\" value=\"{Encode(tokens.RequestToken!)}\"><button type=\"submit\">Sign out</button></form>";
            return Page("Your account", $"<p>Signed in as {Encode(http.User.Identity?.Name ?? "")}.</p>{list}</dl>{form}");
        }).RequireAuthorization();

        // RP-initiated logout: the cookie session ends here, then the handler sends the browser to the hub's end-session
        // endpoint with id_token_hint and post_logout_redirect_uri; the hub sends it back to /signed-out.
        app.MapPost("/signout", () => Results.SignOut(new AuthenticationProperties { RedirectUri = "/signed-out" },
                [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]))
            .RequireAuthorization()
            .WithMetadata(new RequireAntiforgeryTokenAttribute());

        app.MapGet("/signed-out", () => Page("You are signed out", "<p><a href=\"/account\">Sign in again</a></p>"));
        return app;
    }

    private static string Encode(string value) => HtmlEncoder.Default.Encode(value);

    private static IResult Page(string title, string body) => Results.Content(
        $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{Encode(title)}</title></head>" +
        $"<body><main><h1>{Encode(title)}</h1>{body}</main></body></html>", "text/html; charset=utf-8");
}
