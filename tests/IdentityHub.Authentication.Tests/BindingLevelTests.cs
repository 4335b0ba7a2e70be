using IdentityHub.Authentication.Assurance;
using Microsoft.Extensions.Options;
using static IdentityHub.Authentication.Assurance.AuthenticationMethods;

namespace IdentityHub.Authentication.Tests;

/// <summary>
/// NIST SP 800-63B §6.1.2.1 in the default mapping: the level a session binds authenticators at, the level each
/// authenticator gives, and the record a newly bound authenticator adds to its session without lifting it.
/// </summary>
public sealed class BindingLevelTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly AssurancePolicy Default = new(Options.Create(new AssuranceOptions()));

    private static AuthenticationRecord R(string method) =>
        method.StartsWith(Passkey, StringComparison.Ordinal)
            ? new AuthenticationRecord(method, At, new PasskeyFacts(method != Passkey, false, false, method == PasskeyVerifiedAttested))
            : new AuthenticationRecord(method, At);

    public static TheoryData<string[], LevelOfAssurance> Bindings => new()
    {
        { [Password], LevelOfAssurance.Low },
        { [Password, AuthenticationMethods.Totp], LevelOfAssurance.Substantial },
        { [PasskeyVerifiedAttested], LevelOfAssurance.High },
        { [Password, ActivationCode], LevelOfAssurance.High },
        { [Password, OneTimePassword], LevelOfAssurance.High },
    };

    [Theory]
    [MemberData(nameof(Bindings))]
    public void A_session_binds_at_its_level_or_at_high_after_an_issued_credential(string[] methods, LevelOfAssurance expected)
    {
        Assert.Equal(expected, Default.BindingLevel(methods.Select(R)));
    }

    [Fact]
    public void An_issued_credential_reaches_no_level_and_has_no_amr()
    {
        Assert.Equal(LevelOfAssurance.Low, Default.LevelOf([R(Password), R(ActivationCode), R(OneTimePassword)]));
        Assert.Equal(LevelOfAssurance.None, Default.LevelOf([R(ActivationCode)]));
        Assert.Equal(["pwd"], AssurancePolicy.AmrOf([R(Password), R(ActivationCode)]));
        Assert.False(IsKnown(ActivationCode));
        Assert.False(IsKnown(OneTimePassword));
    }

    [Theory]
    [InlineData(AuthenticationMethods.Totp, LevelOfAssurance.Substantial)]
    [InlineData(Passkey, LevelOfAssurance.Substantial)]
    [InlineData(PasskeyVerified, LevelOfAssurance.Substantial)]
    [InlineData(PasskeyVerifiedAttested, LevelOfAssurance.High)]
    public void Each_authenticator_gives_its_level(string method, LevelOfAssurance expected)
    {
        Assert.Equal(expected, Default.LevelGivenBy(method));
    }

    [Fact]
    public void An_attested_passkey_bound_in_a_substantial_session_counts_there_as_a_verified_one()
    {
        var held = new[] { R(Password), R(AuthenticationMethods.Totp) };

        var added = Default.Capped(held, R(PasskeyVerifiedAttested), Default.BindingLevel(held));

        Assert.Equal(PasskeyVerified, added!.Method);
        Assert.Equal(LevelOfAssurance.Substantial, Default.LevelOf([.. held, added]));
    }

    [Fact]
    public void An_attested_passkey_bound_in_the_activation_session_counts_in_full()
    {
        var held = new[] { R(Password), R(ActivationCode) };

        var added = Default.Capped(held, R(PasskeyVerifiedAttested), Default.BindingLevel(held));

        Assert.Equal(PasskeyVerifiedAttested, added!.Method);
        Assert.Equal(LevelOfAssurance.High, Default.LevelOf([.. held, added]));
    }

    [Fact]
    public void Nothing_bound_in_a_password_only_session_lifts_it()
    {
        var held = new[] { R(Password) };

        Assert.Null(Default.Capped(held, R(AuthenticationMethods.Totp), Default.BindingLevel(held)));
        Assert.Null(Default.Capped(held, R(PasskeyVerifiedAttested), Default.BindingLevel(held)));
    }
}
