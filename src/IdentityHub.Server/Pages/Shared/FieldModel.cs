namespace IdentityHub.Server.Pages.Shared;

/// <summary>One labelled text or password input for the _Field partial (label, hint and error tied by ids).</summary>
internal sealed record FieldModel(string Name, string Label, string Type = "text", string? Value = null, string Autocomplete = "off", string? Hint = null);
