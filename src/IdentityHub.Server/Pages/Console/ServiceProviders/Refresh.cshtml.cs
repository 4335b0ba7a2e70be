using IdentityHub.Saml.Providers;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Registry = IdentityHub.Saml.Providers.ServiceProviders;

namespace IdentityHub.Server.Pages.Console.ServiceProviders;

/// <summary>
/// A newer copy of an SP's metadata (a new key, a new ACS), uploaded or fetched again from a URL, through
/// ServiceProviders.RefreshMetadataAsync: metadata for another entityID, or that no longer fits the SP's settings, is
/// refused and nothing changes. Audited `saml.sp.metadata-refreshed` with the admin's name.
/// </summary>
[RequestSizeLimit(2 * 1024 * 1024)]
internal sealed class RefreshModel(Registry providers) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public string? EntityId { get; set; }

    [BindProperty]
    public IFormFile? MetadataFile { get; set; }

    [BindProperty]
    public string? MetadataUrl { get; set; }

    internal ServiceProviderDetail Detail { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await providers.DetailAsync(EntityId ?? "", ct) is not { } detail)
        {
            return NotFound();
        }

        Detail = detail;
        MetadataUrl = MetadataSource.LooksLikeUrl(detail.Provider.MetadataSource) ? detail.Provider.MetadataSource : null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await providers.DetailAsync(EntityId ?? "", ct) is not { } detail)
        {
            return NotFound();
        }

        Detail = detail;
        var url = string.IsNullOrWhiteSpace(MetadataUrl) ? null : MetadataUrl.Trim();
        var file = MetadataFile is { Length: > 0 } ? MetadataFile : null;
        if ((url is null) == (file is null))
        {
            ModelState.AddModelError("Metadata", url is null
                ? "Upload the new metadata file, or give the https URL it is published at."
                : "Give the metadata as a file or as a URL, not both.");
            return Page();
        }

        MetadataRead read;
        if (url is not null)
        {
            read = await MetadataSource.FetchAsync(url, ct);
        }
        else
        {
            await using var stream = file!.OpenReadStream();
            read = await MetadataSource.ReadUploadAsync(stream, file.Length, file.FileName, ct);
        }

        if (read.Metadata is not { } metadata)
        {
            ModelState.AddModelError("Metadata", read.Problem!);
            return Page();
        }

        var change = await providers.RefreshMetadataAsync(detail.Provider.EntityId, metadata, read.Source, User.Identity!.Name!, ct);
        if (!change.Found)
        {
            return NotFound();
        }

        if (change.Problem is not null)
        {
            ModelState.AddModelError("Metadata", change.Problem);
            return Page();
        }

        TempData["ServiceProviderMessage"] = change.Changed.Count == 0
            ? "The metadata is refreshed; nothing the hub uses from it changed."
            : "The metadata is refreshed. Changed: " + string.Join(", ", change.Changed.Select(Describe)) + ".";
        return RedirectToPage("/Console/ServiceProviders/Provider", new { id = detail.Provider.EntityId });
    }

    private static string Describe(string part) => part switch
    {
        "assertionConsumerServices" => "assertion consumer services",
        "singleLogoutServices" => "single logout services",
        "signingCertificates" => "signing certificates",
        "encryptionCertificates" => "encryption certificates",
        "encryptionMethods" => "encryption methods",
        "nameIdFormats" => "NameID formats",
        "authnRequestsSigned" => "AuthnRequestsSigned",
        "wantAssertionsSigned" => "WantAssertionsSigned",
        "validUntil" => "validUntil",
        _ => part,
    };
}
