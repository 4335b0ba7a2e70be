using IdentityHub.Server.OfficerConsole;

namespace IdentityHub.Server.Pages.Shared;

/// <summary>
/// Three labelled number inputs in a fieldset for the _DateInput partial (the GOV.UK date input). The day input's id is
/// <see cref="Name"/>, so the error summary's link (#Name) lands on the first input; InputName prefixes the posted names
/// (Form.DateOfBirth → Form.DateOfBirth.Day, .Month, .Year).
/// </summary>
internal sealed record DateInputModel(string Name, string Legend, DateParts? Value, string? Hint = null, string? InputName = null);
