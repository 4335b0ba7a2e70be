using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace IdentityHub.Server.Hosting;

/// <summary>
/// The languages of the citizen pages (configuration Localization:SupportedCultures, default "en"): chosen from the
/// browser's Accept-Language or ?culture=; texts come from Resources/Texts.{culture}.resx, English when one is missing.
/// </summary>
internal static class HubLocalization
{
    public static RequestLocalizationOptions Options(IConfiguration configuration)
    {
        var cultures = configuration.GetSection("Localization:SupportedCultures").Get<string[]>() is { Length: > 0 } configured ? configured : ["en"];
        var supported = cultures.Select(c => new CultureInfo(c)).ToList();
        return new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(supported[0]),
            SupportedCultures = supported,
            SupportedUICultures = supported,
        };
    }
}
