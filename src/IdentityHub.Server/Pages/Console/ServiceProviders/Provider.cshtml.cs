using System.Globalization;
using IdentityHub.Saml.Providers;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Registry = IdentityHub.Saml.Providers.ServiceProviders;

namespace IdentityHub.Server.Pages.Console.ServiceProviders;

/// <summary>
/// One SAML SP: what the hub uses from its metadata (endpoints, certificates, validity) and its settings; an admin may
/// disable or enable it here (audited with their name). Settings, metadata and removal have their own pages.
/// </summary>
internal sealed class ProviderModel(Registry providers) : PageModel
{
    internal ServiceProviderDetail Detail { get; private set; } = null!;

    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? id, CancellationToken ct)
    {
        if (await providers.DetailAsync(id ?? "", ct) is not { } detail)
        {
            return NotFound();
        }

        Detail = detail;
        Message = TempData["ServiceProviderMessage"] as string;
        return Page();
    }

    public async Task<IActionResult> OnPostStatusAsync(string? id, bool enabled, CancellationToken ct)
    {
        if (!await providers.SetEnabledAsync(id ?? "", enabled, User.Identity!.Name!, ct))
        {
            return NotFound();
        }

        TempData["ServiceProviderMessage"] = enabled
            ? "The service provider is enabled: it can sign citizens in again."
            : "The service provider is disabled: its requests get an error page and no answer.";
        return RedirectToPage(new { id });
    }

    /// <summary>The binding's short name (HTTP-POST) for the SAML 2.0 bindings, else the URI.</summary>
    public static string Binding(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        const string prefix = "urn:oasis:names:tc:SAML:2.0:bindings:";
        return uri.StartsWith(prefix, StringComparison.Ordinal) ? uri[prefix.Length..] : uri;
    }

    public static string Utc(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Hex in pairs with colons, as certificate tools print fingerprints.</summary>
    public static string Pairs(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)));
    }
}
