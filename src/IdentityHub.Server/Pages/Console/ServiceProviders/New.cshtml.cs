using IdentityHub.Saml.Providers;
using Microsoft.AspNetCore.Mvc;
using Registry = IdentityHub.Saml.Providers.ServiceProviders;

namespace IdentityHub.Server.Pages.Console.ServiceProviders;

/// <summary>
/// Registers a SAML SP from its metadata, uploaded or fetched from a URL (MetadataSource, as `hubctl saml sp add
/// --metadata` reads it), with the hub's settings for it, through ServiceProviders.AddAsync (audited `saml.sp.added`
/// with the admin's name). A refusal is shown on the form, which keeps what was entered (a file must be chosen again:
/// browsers never refill a file input).
/// </summary>
[RequestSizeLimit(2 * 1024 * 1024)]
internal sealed class NewModel(Registry providers) : ServiceProviderFormModel
{
    [BindProperty]
    public IFormFile? MetadataFile { get; set; }

    [BindProperty]
    public string? MetadataUrl { get; set; }

    public override bool Registering => true;

    public void OnGet() => Defaults();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var read = await ReadMetadataAsync(ct);
        if (read is null)
        {
            return Page();
        }

        if (read.Metadata is not { } metadata)
        {
            ModelState.AddModelError("Metadata", read.Problem!);
            return Page();
        }

        var settings = Settings();
        if (settings.Sector is { } sector && ServiceProviderChanges.SectorProblem(sector) is { } sectorProblem)
        {
            Refuse(sectorProblem);
            return Page();
        }

        var (entityId, problem) = await providers.AddAsync(new ServiceProviderSpec
        {
            Metadata = metadata,
            MetadataSource = read.Source,
            DisplayName = settings.DisplayName,
            Sector = settings.Sector,
            NameIdFormat = settings.NameIdFormat,
            NationalIdEntitled = settings.NationalIdEntitled,
            Attributes = settings.Attributes,
            RequireSignedRequests = settings.RequireSignedRequests,
            // Checked: encrypt when the metadata has an encryption key (the registry's default); unchecked: never.
            EncryptAssertions = EncryptAssertions ? null : false,
            SignResponse = settings.SignResponse,
            MinimumLevel = settings.MinimumLevel,
            AllowUnsolicited = settings.AllowUnsolicited,
            GovernmentService = settings.GovernmentService,
        }, User.Identity!.Name!, ct);
        if (problem is not null)
        {
            Refuse(problem);
            return Page();
        }

        TempData["ServiceProviderMessage"] = $"The service provider {entityId} is registered and enabled.";
        return RedirectToPage("/Console/ServiceProviders/Provider", new { id = entityId });
    }

    /// <summary>The upload or the URL, exactly one of them; null (with the error on the form) when neither or both were given.</summary>
    private async Task<MetadataRead?> ReadMetadataAsync(CancellationToken ct)
    {
        var url = string.IsNullOrWhiteSpace(MetadataUrl) ? null : MetadataUrl.Trim();
        var file = MetadataFile is { Length: > 0 } ? MetadataFile : null;
        if ((url is null) == (file is null))
        {
            ModelState.AddModelError("Metadata", url is null
                ? "Upload the service provider's metadata file, or give the https URL it is published at."
                : "Give the metadata as a file or as a URL, not both.");
            return null;
        }

        if (url is not null)
        {
            return await MetadataSource.FetchAsync(url, ct);
        }

        await using var stream = file!.OpenReadStream();
        return await MetadataSource.ReadUploadAsync(stream, file.Length, file.FileName, ct);
    }
}
