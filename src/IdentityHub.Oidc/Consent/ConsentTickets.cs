using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace IdentityHub.Oidc.Consent;

/// <summary>
/// Binds a consent answer to what the page showed: the client, the exact scope set and the hub session, for a short
/// while. The consent page puts a ticket in its form; the authorization endpoint grants only when the request it
/// receives names the same client and scopes, in the same session. Antiforgery proves the form is the hub's; the ticket
/// proves the form is the one for this request, so a form edited or replayed for another client or scope set grants nothing.
/// </summary>
public sealed class ConsentTickets(IDataProtectionProvider protection, TimeProvider time)
{
    private const string Purpose = "IdentityHub.Oidc.ConsentTicket.v1";

    /// <summary>How long the citizen may take to answer the page.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    public string Issue(string clientId, IEnumerable<string> scopes, Guid sessionId) =>
        protection.CreateProtector(Purpose).Protect(Payload(clientId, scopes, sessionId) + "\n"
            + (time.GetUtcNow() + Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

    public bool Matches(string? ticket, string clientId, IEnumerable<string> scopes, Guid sessionId)
    {
        if (string.IsNullOrEmpty(ticket))
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
            && string.Equals(plain[..cut], Payload(clientId, scopes, sessionId), StringComparison.Ordinal);
    }

    private static string Payload(string clientId, IEnumerable<string> scopes, Guid sessionId) =>
        clientId + "\n" + string.Join(' ', scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)) + "\n" + sessionId.ToString("N");
}
