using IdentityHub.Authentication.Assurance;
using IdentityHub.Saml.Sso;

namespace IdentityHub.Saml.Tests.Sso;

/// <summary>RequestedAuthnContext comparisons (saml-core §3.3.2.2.1) with the eIDAS levels and the SP's minimum.</summary>
public sealed class RequestedLevelTests
{
    private const string Low = LevelsOfAssurance.LowUri;
    private const string Substantial = LevelsOfAssurance.SubstantialUri;
    private const string High = LevelsOfAssurance.HighUri;

    [Theory]
    // comparison, listed, SP minimum, expected target, stated for a high session, stated for a substantial session
    [InlineData(null, new string[0], "low", "Low", "High", "Substantial")]
    [InlineData(null, new string[0], "substantial", "Substantial", "High", "Substantial")]
    [InlineData("exact", new[] { Substantial }, "low", "Substantial", "Substantial", "Substantial")]
    [InlineData("exact", new[] { Low, High }, "low", "Low", "High", "Low")]
    [InlineData("minimum", new[] { Substantial }, "low", "Substantial", "High", "Substantial")]
    [InlineData("minimum", new[] { Low }, "substantial", "Substantial", "High", "Substantial")]
    [InlineData("better", new[] { Substantial }, "low", "High", "High", "None")]
    [InlineData("maximum", new[] { Substantial }, "low", "Low", "Substantial", "Substantial")]
    public void The_target_and_the_stated_level_follow_the_comparison(string? comparison, string[] listed, string minimum, string target, string forHigh, string forSubstantial)
    {
        Assert.True(LevelsOfAssurance.TryParse(minimum, out var spMinimum));
        var level = RequestedLevel.Resolve(comparison, listed, spMinimum);

        Assert.NotNull(level);
        Assert.Equal(Enum.Parse<LevelOfAssurance>(target), level.Target);
        Assert.Equal(Enum.Parse<LevelOfAssurance>(forHigh), level.StatedFor(LevelOfAssurance.High));
        Assert.Equal(Enum.Parse<LevelOfAssurance>(forSubstantial), level.StatedFor(LevelOfAssurance.Substantial));
    }

    [Theory]
    [InlineData("better", new[] { High }, "low")] // nothing is better than high
    [InlineData("exact", new[] { Low }, "substantial")] // below the SP's own minimum
    [InlineData("maximum", new[] { Low }, "high")]
    [InlineData("exact", new[] { "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport" }, "low")] // not offered
    [InlineData("minimum", new[] { "high" }, "low")] // a short name is not a class reference
    public void A_context_the_hub_cannot_meet_gives_no_level(string comparison, string[] listed, string minimum)
    {
        Assert.True(LevelsOfAssurance.TryParse(minimum, out var spMinimum));
        Assert.Null(RequestedLevel.Resolve(comparison, listed, spMinimum));
    }
}
