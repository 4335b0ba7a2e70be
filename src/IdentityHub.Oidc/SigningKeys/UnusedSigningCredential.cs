using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace IdentityHub.Oidc.SigningKeys;

/// <summary>
/// OpenIddict insists on one asymmetric credential in OpenIddictServerOptions.SigningCredentials (ID0086) and reads the
/// hash of at_hash and c_hash from its algorithm (SHA-256 for ES256, PS256 and RS256 alike). Every token is signed by the
/// key set instead (<see cref="AttachRotatingSigningCredentials"/>), so this credential holds no key at all: were it ever
/// used to sign, it would fail loudly rather than sign with a key the JWKS does not publish.
/// </summary>
internal sealed class UnusedSigningCredential : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.SigningCredentials.Add(new SigningCredentials(new ECDsaSecurityKey(new NoKey()) { KeyId = "unused" }, SecurityAlgorithms.EcdsaSha256));
    }

    private sealed class NoKey : ECDsa
    {
        private const string Why = "Tokens are signed by the OpenID signing key set (decision 0018), never by OpenIddict's static credential.";

        public NoKey()
        {
            KeySizeValue = 256;
            LegalKeySizesValue = [new KeySizes(256, 256, 0)];
        }

        public override byte[] SignHash(byte[] hash) => throw new InvalidOperationException(Why);

        public override bool VerifyHash(byte[] hash, byte[] signature) => false;

        public override ECParameters ExportParameters(bool includePrivateParameters) => throw new InvalidOperationException(Why);

        public override void ImportParameters(ECParameters parameters) => throw new NotSupportedException(Why);

        public override void GenerateKey(ECCurve curve) => throw new NotSupportedException(Why);
    }
}
