using System.Net;
using System.Text;
using IdentityHub.Authentication.Sessions;

namespace IdentityHub.Saml.Slo;

/// <summary>The citizen's pages of a Single Logout: what it reached, said plainly, and the refusals.</summary>
internal static class LogoutPages
{
    /// <summary>
    /// The outcome. <paramref name="detailed"/> lists each agency (only for the browser that carried the logout); a
    /// partial logout says which agencies may still have the citizen signed in and what to do about it.
    /// </summary>
    public static string Report(bool detailed, bool partial, IReadOnlyList<AgencyLogout> agencies, string? returnUrl)
    {
        ArgumentNullException.ThrowIfNull(agencies);
        var body = new StringBuilder();
        body.Append(partial
            ? "<h1>You are signed out of IdentityHub, but not everywhere</h1>\n<p id=\"logout-outcome\" data-partial=\"true\">Some services did not confirm that they signed you out. "
              + "If you use a shared computer, close the browser, or sign out at each of these services yourself.</p>\n"
            : "<h1>You are signed out</h1>\n<p id=\"logout-outcome\" data-partial=\"false\">You are signed out of IdentityHub and of every service you used through it.</p>\n");
        if (detailed && agencies.Count > 0)
        {
            body.Append("<table id=\"logout-agencies\">\n<caption>Services you used in this session</caption>\n<thead><tr><th scope=\"col\">Service</th><th scope=\"col\">Signed out</th></tr></thead>\n<tbody>\n");
            foreach (var agency in agencies)
            {
                body.Append("<tr data-state=\"").Append(agency.State.ToString().ToLowerInvariant()).Append("\"><td>")
                    .Append(WebUtility.HtmlEncode(agency.DisplayName)).Append("</td><td>").Append(Say(agency.State)).Append("</td></tr>\n");
            }

            body.Append("</tbody>\n</table>\n");
        }

        body.Append("<p><a class=\"button\" href=\"").Append(WebUtility.HtmlEncode(IsLocal(returnUrl) ? returnUrl : "/login")).Append("\">Continue</a></p>\n");
        return Page(partial ? "Signed out, not everywhere" : "Signed out", body.ToString());
    }

    public static string Expired() => Page("Sign-out expired",
        "<h1>This sign-out has expired</h1>\n<p id=\"saml-problem\">This sign-out is unknown or took too long. Your IdentityHub session may still be open: "
        + "go to <a href=\"/account\">your account</a> to check it and sign out there.</p>\n");

    /// <summary>A logout message the hub refuses (unknown SP, bad signature, unknown request): the problem, never a stack trace.</summary>
    public static string Refused(string problem) => Page("Sign-out request refused",
        "<h1>The sign-out request was refused</h1>\n<p id=\"saml-problem\">" + WebUtility.HtmlEncode(problem) + "</p>\n"
        + "<p>Your IdentityHub session was not changed by it. To sign out, go to <a href=\"/account\">your account</a> and sign out there.</p>\n");

    private static string Say(AgencyLogoutState state) => state switch
    {
        AgencyLogoutState.Confirmed => "Yes",
        AgencyLogoutState.Pending => "Not confirmed yet",
        AgencyLogoutState.Unreachable => "Cannot be told: sign out there yourself",
        _ => "Did not confirm: sign out there yourself",
    };

    private static bool IsLocal(string? url) => url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    private static string Page(string title, string body) => Http.HubPage.Html(title, body);
}
