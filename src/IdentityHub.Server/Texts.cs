namespace IdentityHub.Server;

/// <summary>
/// The shared resource of the citizen-facing and sign-in pages: English texts in Resources/Texts.resx. A second
/// language is a Texts.{culture}.resx beside it and the culture added to Localization:SupportedCultures.
/// </summary>
public sealed class Texts
{
}
