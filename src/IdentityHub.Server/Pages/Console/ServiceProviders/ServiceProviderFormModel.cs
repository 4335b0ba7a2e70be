using IdentityHub.Saml.Providers;
using IdentityHub.Saml.Saml;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Registry = IdentityHub.Saml.Providers.ServiceProviders;

namespace IdentityHub.Server.Pages.Console.ServiceProviders;

/// <summary>
/// The settings an admin gives a SAML SP (the _ServiceProviderSettings partial), posted to the same registry as
/// `hubctl saml sp add` (ServiceProviders). The registry answers a refusal as one sentence; the page shows it in the
/// error summary and next to the input it is about, and keeps what was entered.
/// </summary>
internal abstract class ServiceProviderFormModel : PageModel
{
    /// <summary>The inputs in page order, for the error summary.</summary>
    public static IReadOnlyList<string> FieldOrder { get; } =
    [
        "Metadata", nameof(DisplayName), nameof(Sector), nameof(NameIdFormat), nameof(Attributes), nameof(RequireSignedRequests),
        nameof(EncryptAssertions), nameof(SignResponse), nameof(MinimumLevel), nameof(AllowUnsolicited), nameof(GovernmentService),
    ];

    /// <summary>The eIDAS natural-person attributes the hub releases: friendly name, what it holds, its URI (SamlNames).</summary>
    public static IReadOnlyList<(string Name, string Meaning, string Uri)> KnownAttributes { get; } =
    [
        ("PersonIdentifier", "the citizen's identifier at this SP (the national identifier only when the agency is entitled)", EidasAttributes.PersonIdentifier),
        ("CurrentFamilyName", "family name", EidasAttributes.CurrentFamilyName),
        ("CurrentGivenName", "given names", EidasAttributes.CurrentGivenName),
        ("DateOfBirth", "date of birth", EidasAttributes.DateOfBirth),
    ];

    public static IReadOnlyList<string> Levels { get; } = ["low", "substantial", "high"];

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Sector { get; set; }

    [BindProperty]
    public string? NameIdFormat { get; set; } = Registry.Persistent;

    [BindProperty]
    public bool NationalIdEntitled { get; set; }

    [BindProperty]
    public List<string> Attributes { get; set; } = [];

    [BindProperty]
    public bool RequireSignedRequests { get; set; }

    /// <summary>Registering: encrypt when the metadata has an encryption key. Editing: encrypt (only offered when it has one).</summary>
    [BindProperty]
    public bool EncryptAssertions { get; set; }

    [BindProperty]
    public bool SignResponse { get; set; }

    [BindProperty]
    public string? MinimumLevel { get; set; } = "substantial";

    [BindProperty]
    public bool AllowUnsolicited { get; set; }

    [BindProperty]
    public bool GovernmentService { get; set; }

    /// <summary>True on the registration form, where the metadata is not read yet.</summary>
    public abstract bool Registering { get; }

    /// <summary>Editing: whether the registered metadata has an encryption key (else encryption cannot be chosen).</summary>
    public virtual bool HasEncryptionKey => true;

    /// <summary>Editing: whether the registered metadata has a signing key (else signed requests cannot be required).</summary>
    public virtual bool HasSigningKey => true;

    /// <summary>A new registration's defaults, as `hubctl saml sp add` has them.</summary>
    protected void Defaults()
    {
        NameIdFormat = Registry.Persistent;
        Attributes = [.. Registry.KnownAttributes];
        RequireSignedRequests = true;
        EncryptAssertions = true;
        SignResponse = true;
        MinimumLevel = "substantial";
    }

    protected void Fill(ServiceProviderView sp)
    {
        ArgumentNullException.ThrowIfNull(sp);
        DisplayName = sp.DisplayName;
        Sector = sp.Sector;
        NameIdFormat = sp.NameIdFormat;
        NationalIdEntitled = sp.NationalIdEntitled;
        Attributes = [.. sp.Attributes.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        RequireSignedRequests = sp.RequireSignedRequests;
        EncryptAssertions = sp.EncryptAssertions;
        SignResponse = sp.SignResponse;
        MinimumLevel = sp.MinimumLevel;
        AllowUnsolicited = sp.AllowUnsolicited;
        GovernmentService = sp.GovernmentService;
    }

    protected ServiceProviderSettings Settings() => new()
    {
        DisplayName = DisplayName?.Trim() ?? "",
        Sector = string.IsNullOrWhiteSpace(Sector) ? null : Sector.Trim(),
        NameIdFormat = NameIdFormat?.Trim() ?? "",
        NationalIdEntitled = NationalIdEntitled,
        Attributes = [.. Attributes.Distinct(StringComparer.Ordinal)],
        RequireSignedRequests = RequireSignedRequests,
        EncryptAssertions = EncryptAssertions,
        SignResponse = SignResponse,
        MinimumLevel = MinimumLevel?.Trim() ?? "",
        AllowUnsolicited = AllowUnsolicited,
        GovernmentService = GovernmentService,
    };

    /// <summary>
    /// Shows the registry's sentence next to the input it is about. The registry names no field, so the sentence's
    /// subject decides; anything else is about the metadata (registration) or the first field.
    /// </summary>
    protected void Refuse(string problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var about = problem switch
        {
            _ when problem.StartsWith("The display name", StringComparison.Ordinal) => nameof(DisplayName),
            _ when problem.StartsWith("The sector", StringComparison.Ordinal) => nameof(Sector),
            _ when problem.StartsWith("The NameID format", StringComparison.Ordinal) || problem.StartsWith("The national identifier", StringComparison.Ordinal) => nameof(NameIdFormat),
            _ when problem.Contains("is not an attribute the hub releases", StringComparison.Ordinal) => nameof(Attributes),
            _ when problem.StartsWith("The minimum level", StringComparison.Ordinal) => nameof(MinimumLevel),
            _ when problem.StartsWith("Assertions cannot be encrypted", StringComparison.Ordinal) => nameof(EncryptAssertions),
            _ when problem.StartsWith("Signed requests are required", StringComparison.Ordinal) => nameof(RequireSignedRequests),
            _ => Registering ? "Metadata" : nameof(DisplayName),
        };
        ModelState.AddModelError(about, problem);
    }
}
