using System.Text.Json;
using IdentityHub.Core.Keys;

namespace IdentityHub.Pki.Hierarchy;

internal static class HierarchyLoader
{
    public static HierarchyDefinition Load(string path)
    {
        var resolved = Resolve(path);
        HierarchyDefinition? definition;
        try
        {
            using var stream = File.OpenRead(resolved);
            definition = JsonSerializer.Deserialize(stream, HierarchyJsonContext.Default.HierarchyDefinition);
        }
        catch (JsonException ex)
        {
            throw new PkiConfigurationException($"Pki:HierarchyFile '{resolved}' is not valid: {ex.Message}", ex);
        }

        if (definition is null)
        {
            throw new PkiConfigurationException($"Pki:HierarchyFile '{resolved}' is empty.");
        }

        Validate(definition, resolved);
        return definition;
    }

    public static string Resolve(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return File.Exists(path) ? path : throw Missing(path);
        }

        foreach (var candidate in new[] { Path.GetFullPath(path), Path.Combine(AppContext.BaseDirectory, path) })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw Missing(path);
    }

    private static PkiConfigurationException Missing(string path) =>
        new($"Pki:HierarchyFile '{path}' was not found (looked in the working directory and in {AppContext.BaseDirectory}).");

    private static void Validate(HierarchyDefinition h, string file)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ca in h.Authorities)
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(ca.Name, "^[a-z0-9-]{1,64}$"))
            {
                throw new PkiConfigurationException($"{file}: CA name '{ca.Name}' must be lower-case letters, digits and dashes.");
            }

            if (ca.Issuer is not null && !names.Contains(ca.Issuer))
            {
                throw new PkiConfigurationException($"{file}: CA '{ca.Name}' names issuer '{ca.Issuer}', which is not defined before it.");
            }

            ParseKey(ca.Key, file, ca.Name);
            if (!names.Add(ca.Name))
            {
                throw new PkiConfigurationException($"{file}: CA '{ca.Name}' is defined twice.");
            }
        }

        if (h.Authorities.Count(a => a.Issuer is null) != 1)
        {
            throw new PkiConfigurationException($"{file}: exactly one CA (the root) must have no issuer.");
        }

        foreach (var (profileName, profile) in h.Profiles)
        {
            ParseKey(profile.Key, file, profileName);
            if (profile.Issuer is not null && !names.Contains(profile.Issuer))
            {
                throw new PkiConfigurationException($"{file}: profile '{profileName}' names unknown issuer '{profile.Issuer}'.");
            }

            foreach (var usage in profile.KeyUsage)
            {
                _ = CertificateExtensionsFactory.KeyUsageBit(usage);
            }

            foreach (var usage in profile.ExtendedKeyUsage)
            {
                _ = CertificateExtensionsFactory.ExtendedKeyUsageOid(usage);
            }

            ValidateQcStatements(profileName, profile, file);
        }

        if (!h.Profiles.ContainsKey(ProfileNames.OcspResponder))
        {
            throw new PkiConfigurationException($"{file}: the '{ProfileNames.OcspResponder}' profile is required.");
        }

        foreach (var credential in h.ServiceCredentials)
        {
            if (!h.Profiles.TryGetValue(credential.Profile, out var profile) || profile.Issuer is null)
            {
                throw new PkiConfigurationException($"{file}: service credential '{credential.Purpose}' needs a profile with an issuer.");
            }
        }
    }

    private static void ValidateQcStatements(string profileName, ProfileDefinition profile, string file)
    {
        foreach (var statement in profile.QcStatements)
        {
            if (!QcStatements.Known.Contains(statement))
            {
                throw new PkiConfigurationException($"{file}: profile '{profileName}' names unknown QC statement '{statement}'; known: {string.Join(", ", QcStatements.Known)}.");
            }
        }

        if (profile.QcStatements.Contains("QcPDS") && profile.Pds.Count == 0)
        {
            throw new PkiConfigurationException($"{file}: profile '{profileName}' has QcPDS but no \"pds\" location (ETSI EN 319 412-5 §4.3.4 needs at least one).");
        }

        foreach (var pds in profile.Pds)
        {
            if (!Uri.TryCreate(pds.Url, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps || pds.Language is not { Length: 2 } || !pds.Language.All(char.IsAsciiLetterLower))
            {
                throw new PkiConfigurationException($"{file}: profile '{profileName}': a PDS location needs an https URL and a two-letter lower-case language code (ISO 639-1).");
            }
        }
    }

    private static void ParseKey(string key, string file, string owner)
    {
        try
        {
            _ = KeyAlgorithms.Parse(key);
        }
        catch (FormatException ex)
        {
            throw new PkiConfigurationException($"{file}: '{owner}': {ex.Message}", ex);
        }
    }
}

internal static class ProfileNames
{
    public const string OcspResponder = "ocsp-responder";
}
