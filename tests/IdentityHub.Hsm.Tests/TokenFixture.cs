using IdentityHub.Hsm;

namespace IdentityHub.Hsm.Tests;

/// <summary>The real SoftHSM token that `./hub test` creates; never a fake.</summary>
public sealed class TokenFixture : IDisposable
{
    public TokenFixture()
    {
        Options = FromEnvironment();

        // As the Security Officer, before this process logs in as user (PKCS#11 logins are per application).
        var soPin = Environment.GetEnvironmentVariable("HUB_TEST_HSM_SO_PIN")
            ?? throw new InvalidOperationException("HUB_TEST_HSM_SO_PIN is not set: run the tests with ./hub test.");
        TrustedWrappingKey.Ensure(Options, soPin);
        Store = HsmKeyStore.Open(Options);
    }

    public HsmOptions Options { get; }

    public HsmKeyStore Store { get; }

    public static HsmOptions FromEnvironment()
    {
        string Require(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests with ./hub test, which starts SoftHSM and PostgreSQL.");
        return new HsmOptions
        {
            LibraryPath = Require("Hsm__LibraryPath"),
            TokenLabel = Require("Hsm__TokenLabel"),
            Pin = Require("Hsm__Pin"),
        };
    }

    public void Dispose() => Store.Dispose();
}

[CollectionDefinition(Name)]
public sealed class TokenCollection : ICollectionFixture<TokenFixture>
{
    public const string Name = "token";
}
