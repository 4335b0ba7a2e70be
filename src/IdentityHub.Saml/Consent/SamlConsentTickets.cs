using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace IdentityHub.Saml.Consent;

/// <summary>
/// Binds a consent answer to what the page showed (the pending request, the hub session and the exact items), and a
/// refusal to the pending request and session, for a short while (Data Protection, keys shared by all nodes). The page's
/// antiforgery token proves the form is the hub's; the ticket proves it is the form for this request and this session.
/// </summary>
internal sealed class SamlConsentTickets(IDataProtectionProvider protection, TimeProvider time)
{
    private const string Purpose = "IdentityHub.Saml.ConsentTicket.v1";

    /// <summary>How long the citizen may take to answer the page.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    /// <summary>The page's form: this request, this session, these items.</summary>
    public string IssueForm(Guid requestId, Guid sessionId, IEnumerable<string> items) => Issue("form", requestId, sessionId, SamlConsentItems.Format(items));

    public bool MatchesForm(string? ticket, Guid requestId, Guid sessionId, IEnumerable<string> items) =>
        Matches(ticket, "form", requestId, sessionId, SamlConsentItems.Format(items));

    /// <summary>The citizen's refusal, carried to the SSO continue step, which answers the SP with RequestDenied.</summary>
    public string IssueDenial(Guid requestId, Guid sessionId) => Issue("denied", requestId, sessionId, "");

    public bool MatchesDenial(string? ticket, Guid requestId, Guid sessionId) => Matches(ticket, "denied", requestId, sessionId, "");

    private string Issue(string kind, Guid requestId, Guid sessionId, string items) =>
        protection.CreateProtector(Purpose).Protect(Payload(kind, requestId, sessionId, items) + "\n"
            + (time.GetUtcNow() + Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

    private bool Matches(string? ticket, string kind, Guid requestId, Guid sessionId, string items)
    {
        if (string.IsNullOrEmpty(ticket) || ticket.Length > 4096)
        {
            return false;
        }

        string plain;
        try
        {
            plain = protection.CreateProtector(Purpose).Unprotect(ticket);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return false;
        }

        var cut = plain.LastIndexOf('\n');
        return cut > 0
            && long.TryParse(plain[(cut + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            && time.GetUtcNow().ToUnixTimeSeconds() <= expires
            && string.Equals(plain[..cut], Payload(kind, requestId, sessionId, items), StringComparison.Ordinal);
    }

    private static string Payload(string kind, Guid requestId, Guid sessionId, string items) =>
        kind + "\n" + requestId.ToString("N") + "\n" + sessionId.ToString("N") + "\n" + items;
}
