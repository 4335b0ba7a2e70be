using System.Text.Json;

namespace IdentityHub.Signing.Validation;

/// <summary>The JSON form of a report (camelCase; the enums serialise as their ETSI names).</summary>
public static class ValidationReportJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string Serialize(ValidationReport report) => JsonSerializer.Serialize(report, Options);

    public static ValidationReport? Deserialize(string json) => JsonSerializer.Deserialize<ValidationReport>(json, Options);
}
