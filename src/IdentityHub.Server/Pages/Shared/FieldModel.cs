namespace IdentityHub.Server.Pages.Shared;

/// <summary>One labelled text or password input for the _Field partial (label, hint and error tied by ids); InputName when the posted name differs from the id (Form.Surname).</summary>
internal sealed record FieldModel(string Name, string Label, string Type = "text", string? Value = null, string Autocomplete = "off", string? Hint = null, string? InputName = null, string? InputMode = null);
