using System.Globalization;
using System.Text.Json;
using IdentityHub.Authentication.Assurance;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Oidc;

/// <summary>
/// What an authorization request asks of the login, read from acr_values, the claims parameter (an acr requested for
/// the ID token or userinfo, essential or voluntary; OpenID Connect Core §5.5.1.1), login_hint and ui_locales.
/// </summary>
public sealed record RequestedAuthentication(LevelOfAssurance Level, string? LoginHint, string? Culture)
{
    /// <summary>OpenID Connect Core Unmet Authentication Requirements 1.0.</summary>
    public const string UnmetAuthenticationRequirements = "unmet_authentication_requirements";

    /// <summary>Reads the request; <paramref name="error"/> and <paramref name="problem"/> say why it cannot be served.</summary>
    public static RequestedAuthentication? Read(OpenIddictRequest request, AssurancePolicy policy, IReadOnlyList<string> cultures, out string? error, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(cultures);
        error = null;
        problem = null;
        var level = policy.DefaultLevel;
        var acrValues = request.AcrValues?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (acrValues.Length > 0)
        {
            // Each value is one the client accepts: the lowest known one is enough; unknown ones are ignored.
            if (Known(acrValues) is not { Count: > 0 } known)
            {
                (error, problem) = (Errors.InvalidRequest, "acr_values names no level this hub knows: use http://eidas.europa.eu/LoA/low, substantial or high.");
                return null;
            }

            level = known.Min();
        }

        if ((string?)request.GetParameter(Parameters.Claims) is { } claims)
        {
            if (!TryClaimsLevel(claims, out var asked, out var essential))
            {
                (error, problem) = (Errors.InvalidRequest, "The claims parameter is not a JSON object of id_token and userinfo members as OpenID Connect Core 5.5 describes.");
                return null;
            }

            if (asked is { Count: > 0 } values)
            {
                if (Known(values) is not { Count: > 0 } known)
                {
                    if (essential)
                    {
                        (error, problem) = (UnmetAuthenticationRequirements, "The essential acr asked for names no level this hub can reach.");
                        return null;
                    }
                }
                else
                {
                    level = known.Min();
                }
            }
        }

        var hint = request.LoginHint is { Length: > 0 and <= 20 } h && h.All(char.IsAsciiDigit) ? h : null;
        var culture = request.UiLocales?.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(tag => cultures.FirstOrDefault(c => string.Equals(c, tag, StringComparison.OrdinalIgnoreCase))
                ?? cultures.FirstOrDefault(c => string.Equals(c, tag.Split('-')[0], StringComparison.OrdinalIgnoreCase)))
            .FirstOrDefault(c => c is not null);
        return new RequestedAuthentication(level, hint, culture);
    }

    private static List<LevelOfAssurance> Known(IEnumerable<string> values) =>
        [.. values.Select(v => LevelsOfAssurance.TryParse(v, out var l) ? l : LevelOfAssurance.None).Where(l => l != LevelOfAssurance.None)];

    /// <summary>The acr values of {"id_token":{"acr":{"essential":…,"value"|"values":…}}} (or userinfo); null when acr is not asked for.</summary>
    private static bool TryClaimsLevel(string claims, out List<string>? values, out bool essential)
    {
        values = null;
        essential = false;
        try
        {
            using var document = JsonDocument.Parse(claims, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (var target in document.RootElement.EnumerateObject())
            {
                if (target.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
                {
                    return false;
                }

                if (target.Name is not ("id_token" or "userinfo") || target.Value.ValueKind != JsonValueKind.Object
                    || !target.Value.TryGetProperty(Claims.AuthenticationContextReference, out var acr) || acr.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                essential |= acr.TryGetProperty("essential", out var e) && e.ValueKind == JsonValueKind.True;
                values ??= [];
                if (acr.TryGetProperty("value", out var one) && one.ValueKind == JsonValueKind.String)
                {
                    values.Add(one.GetString()!);
                }

                if (acr.TryGetProperty("values", out var many) && many.ValueKind == JsonValueKind.Array)
                {
                    values.AddRange(many.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!));
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The culture cookie value ASP.NET Core's request localization reads ("c=…|uic=…").</summary>
    public static string CultureCookie(string culture) =>
        Microsoft.AspNetCore.Localization.CookieRequestCultureProvider.MakeCookieValue(new Microsoft.AspNetCore.Localization.RequestCulture(CultureInfo.GetCultureInfo(culture)));
}
