namespace IdentityHub.Hsm.Tests;

[Collection(TokenCollection.Name)]
public sealed class ConfigurationErrorTests(TokenFixture token)
{
    [Fact]
    public void A_wrong_pin_names_Hsm_Pin_and_never_the_pin()
    {
        // The auxiliary token is one this process has never logged in to, so the token itself judges the PIN.
        var options = TokenFixture.FromEnvironment();
        options.TokenLabel = Environment.GetEnvironmentVariable("HUB_TEST_AUX_TOKEN_LABEL")
            ?? throw new InvalidOperationException("HUB_TEST_AUX_TOKEN_LABEL is not set: run the tests with ./hub test.");
        options.Pin = "wrong-pin-" + Guid.NewGuid().ToString("N");

        var ex = Assert.Throws<HsmConfigurationException>(() => HsmKeyStore.Open(options));

        Assert.Contains("Hsm:Pin", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CKR_PIN_INCORRECT", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(options.Pin, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void A_second_store_with_another_pin_is_refused_although_the_process_is_logged_in()
    {
        // The fixture's store holds this token's login, so C_Login would answer CKR_USER_ALREADY_LOGGED_IN whatever the
        // PIN: the store compares with the PIN that logged in instead (and the token's failure counter is not touched).
        var options = TokenFixture.FromEnvironment();
        options.Pin = "other-pin-" + Guid.NewGuid().ToString("N");

        var ex = Assert.Throws<HsmConfigurationException>(() => HsmKeyStore.Open(options));

        Assert.StartsWith("Hsm:Pin ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(options.Pin, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Options.Pin, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);

        // The right PIN still opens a second store on the same login.
        using var second = HsmKeyStore.Open(TokenFixture.FromEnvironment());
        second.CheckHealth();
    }

    [Fact]
    public void An_unknown_token_label_names_Hsm_TokenLabel_and_lists_the_tokens()
    {
        var options = TokenFixture.FromEnvironment();
        options.TokenLabel = "no-such-token";

        var ex = Assert.Throws<HsmConfigurationException>(() => HsmKeyStore.Open(options));

        Assert.Contains("Hsm:TokenLabel 'no-such-token'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(token.Options.TokenLabel, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Options.Pin, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_module_names_Hsm_LibraryPath()
    {
        var options = TokenFixture.FromEnvironment();
        options.LibraryPath = "/nonexistent/libpkcs11.so";

        var ex = Assert.Throws<HsmConfigurationException>(() => HsmKeyStore.Open(options));

        Assert.StartsWith("Hsm:LibraryPath '/nonexistent/libpkcs11.so' does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_pkcs11_module_names_Hsm_LibraryPath()
    {
        var options = TokenFixture.FromEnvironment();
        options.LibraryPath = "/etc/hostname";

        var ex = Assert.Throws<HsmConfigurationException>(() => HsmKeyStore.Open(options));

        Assert.StartsWith("Hsm:LibraryPath '/etc/hostname' could not be loaded", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_pin_is_caught_before_the_token_is_touched()
    {
        var options = TokenFixture.FromEnvironment();
        options.Pin = string.Empty;

        var ex = Assert.Throws<HsmConfigurationException>(() => HsmKeyStore.Open(options));

        Assert.Contains("Hsm:Pin is not set", ex.Message, StringComparison.Ordinal);
    }
}
