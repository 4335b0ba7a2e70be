using System.Security.Cryptography.X509Certificates;
using IdentityHub.Hsm;
using IdentityHub.Pki.Authorities;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace IdentityHub.Oidc;

/// <summary>
/// Gives OpenIddict the PKI's "protocol-signing" key (P-256 in the HSM) as its ES256 signing credential, through the
/// HSM seam's ECDsa adapter (decision 0005): tokens are signed inside the token, the key never leaves it. The key id is
/// the certificate's SHA-256 thumbprint (base64url), so it changes when the PKI renews the credential. Read once, when
/// OpenIddict's options are first needed (after the start-up checks found the PKI).
/// </summary>
internal sealed class ProtocolSigningCredentials(PkiKeyring keyring) : IConfigureOptions<OpenIddictServerOptions>
{
    public const string Purpose = "protocol-signing";

    public void Configure(OpenIddictServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var service = keyring.ServiceKeyAsync(Purpose, CancellationToken.None).GetAwaiter().GetResult();
        using var certificate = X509CertificateLoader.LoadCertificate(service.CertificateDer);
        var key = new ECDsaSecurityKey(service.Key.AsECDsa())
        {
            KeyId = Base64UrlEncoder.Encode(certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256)),
        };
        options.SigningCredentials.Add(new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256));
    }
}
