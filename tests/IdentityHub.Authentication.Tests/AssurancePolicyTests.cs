using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Passkeys;
using Microsoft.Extensions.Options;
using static IdentityHub.Authentication.Assurance.AuthenticationMethods;

namespace IdentityHub.Authentication.Tests;

/// <summary>The documented default mapping to eIDAS levels, amr values, step-up planning and option checks.</summary>
public sealed class AssurancePolicyTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly AssurancePolicy Default = new(Options.Create(new AssuranceOptions()));

    private static AuthenticationRecord R(string method, bool uv = true, bool backupEligible = false) =>
        method.StartsWith(Passkey, StringComparison.Ordinal)
            ? new AuthenticationRecord(method, At, new PasskeyFacts(uv, backupEligible, false, method == PasskeyVerifiedAttested))
            : new AuthenticationRecord(method, At);

    public static TheoryData<string[], LevelOfAssurance> Mapping => new()
    {
        { [], LevelOfAssurance.None },
        { [Password], LevelOfAssurance.Low },
        { [AuthenticationMethods.Totp], LevelOfAssurance.None },
        { [Password, AuthenticationMethods.Totp], LevelOfAssurance.Substantial },
        { [Password, RecoveryCode], LevelOfAssurance.Substantial },
        { [Password, Passkey], LevelOfAssurance.Substantial },
        { [Passkey], LevelOfAssurance.None },
        { [PasskeyVerified], LevelOfAssurance.Substantial },
        { [PasskeyVerifiedAttested], LevelOfAssurance.High },
        { [Password, AuthenticationMethods.Totp, PasskeyVerifiedAttested], LevelOfAssurance.High },
    };

    [Theory]
    [MemberData(nameof(Mapping))]
    public void The_default_mapping_is_the_documented_one(string[] methods, LevelOfAssurance expected) =>
        Assert.Equal(expected, Default.LevelOf(methods.Select(m => R(m))));

    [Fact]
    public void Amr_follows_RFC_8176()
    {
        Assert.Equal(["pwd", "otp", "mfa"], AssurancePolicy.AmrOf([R(Password), R(AuthenticationMethods.Totp)]));
        Assert.Equal(["pwd"], AssurancePolicy.AmrOf([R(Password)]));
        Assert.Equal(["hwk", "user", "mfa"], AssurancePolicy.AmrOf([R(PasskeyVerified)]));
        Assert.Equal(["swk", "user"], AssurancePolicy.AmrOf([R(Passkey, uv: false, backupEligible: true)]));
    }

    [Fact]
    public void Step_up_to_high_needs_only_the_attested_passkey_and_is_impossible_without_one()
    {
        var session = new[] { R(Password), R(AuthenticationMethods.Totp) };
        var withAttested = new HashSet<string> { Password, AuthenticationMethods.Totp, Passkey, PasskeyVerified, PasskeyVerifiedAttested };
        var withoutAttested = new HashSet<string> { Password, AuthenticationMethods.Totp, Passkey, PasskeyVerified };

        Assert.Equal([PasskeyVerifiedAttested], Default.Missing(session, LevelOfAssurance.High, withAttested));
        Assert.Null(Default.Missing(session, LevelOfAssurance.High, withoutAttested));
        Assert.Empty(Default.Missing(session, LevelOfAssurance.Substantial, withoutAttested)!);
        Assert.Equal(new HashSet<string> { AuthenticationMethods.Totp, Passkey, RecoveryCode }, Default.NextSteps([R(Password)], LevelOfAssurance.Substantial, new HashSet<string> { Password, AuthenticationMethods.Totp, Passkey, RecoveryCode }));
    }

    [Fact]
    public void A_configured_mapping_replaces_the_default()
    {
        var strict = new AssurancePolicy(Options.Create(new AssuranceOptions
        {
            Levels = new(StringComparer.OrdinalIgnoreCase) { ["substantial"] = ["pwd+otp"], ["high"] = ["pwd+passkey-uv-attested"] },
        }));
        Assert.Equal(LevelOfAssurance.None, strict.LevelOf([R(Password)]));
        Assert.Equal(LevelOfAssurance.None, strict.LevelOf([R(PasskeyVerifiedAttested)]));
        Assert.Equal(LevelOfAssurance.Substantial, strict.LevelOf([R(Password), R(AuthenticationMethods.Totp)]));
        Assert.Equal(LevelOfAssurance.High, strict.LevelOf([R(Password), R(PasskeyVerifiedAttested)]));
    }

    [Theory]
    [InlineData("medium", "pwd", "unknown level")]
    [InlineData("high", "pwd+fingerprint", "unknown method")]
    public void Unknown_levels_and_methods_are_refused_at_start(string level, string rule, string message)
    {
        var options = new AssuranceOptions { Levels = new(StringComparer.OrdinalIgnoreCase) { [level] = [rule] } };
        Assert.Contains(message, options.Validate(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://eidas.europa.eu/LoA/high", LevelOfAssurance.High)]
    [InlineData("HTTP://EIDAS.EUROPA.EU/LOA/SUBSTANTIAL", LevelOfAssurance.Substantial)]
    [InlineData("low", LevelOfAssurance.Low)]
    public void Levels_parse_from_their_URIs_and_names(string text, LevelOfAssurance level)
    {
        Assert.True(LevelsOfAssurance.TryParse(text, out var parsed));
        Assert.Equal(level, parsed);
        Assert.False(LevelsOfAssurance.TryParse("http://eidas.europa.eu/LoA/NotNotified", out _));
    }

    [Fact]
    public void Each_lockout_doubles_up_to_the_longest()
    {
        var lockout = new LockoutOptions { FirstLockout = TimeSpan.FromMinutes(1), LongestLockout = TimeSpan.FromHours(24) };
        Assert.Equal(TimeSpan.FromMinutes(1), lockout.LockoutAfter(0));
        Assert.Equal(TimeSpan.FromMinutes(2), lockout.LockoutAfter(1));
        Assert.Equal(TimeSpan.FromMinutes(64), lockout.LockoutAfter(6));
        Assert.Equal(TimeSpan.FromHours(24), lockout.LockoutAfter(40));
    }

    [Theory]
    [InlineData("login.example.gov", "https://login.example.gov", null)]
    [InlineData("localhost", "http://localhost:5080", null)]
    [InlineData("login.example.gov", "http://login.example.gov", "https only")]
    [InlineData("login.example.gov", "https://evil.example", "not login.example.gov")]
    [InlineData("https://login.example.gov", "https://login.example.gov", "host name")]
    [InlineData("login.example.gov", "https://login.example.gov/path", "not an origin")]
    public void Passkey_origins_must_be_https_origins_of_the_relying_party(string rpId, string origin, string? problem)
    {
        var error = new PasskeyOptions { RelyingPartyId = rpId, Origins = [origin] }.Validate();
        if (problem is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Contains(problem, error, StringComparison.Ordinal);
        }
    }
}
