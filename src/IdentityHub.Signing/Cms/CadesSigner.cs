using System.Security.Cryptography;
using IdentityHub.Signing.Signers;
using IdentityHub.Signing.Validation;

namespace IdentityHub.Signing.Cms;

/// <summary>
/// Detached CAdES baseline signatures (ETSI EN 319 122-1) over any file: B-B (content-type, message-digest,
/// signing-certificate-v2 and signing-time, §6.3) and B-T (plus a signature time-stamp from the hub's TSA, §6.4).
/// </summary>
public sealed class CadesSigner
{
    private readonly CmsSignatureBuilder _builder;
    private readonly TimeProvider _time;

    internal CadesSigner(CmsSignatureBuilder builder, TimeProvider time)
    {
        _builder = builder;
        _time = time;
    }

    /// <summary>A DER .p7s (ContentInfo SignedData without eContent) over <paramref name="content"/>, hashed in one streaming pass.</summary>
    public async Task<byte[]> SignDetachedAsync(Stream content, SignerIdentity signer, SignatureLevel level, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(signer);
        if (level is not (SignatureLevel.BaselineB or SignatureLevel.BaselineT))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "Detached CAdES is made at B-B or B-T.");
        }

        using var hash = IncrementalHash.CreateHash(CmsSignatureBuilder.DigestFor(signer));
        var buffer = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        // EN 319 122-1 §6.3 table 1: signing-time is mandatory for CAdES-B-B (claimed time only; B-T proves it).
        var request = new CmsSignatureRequest(_time.GetUtcNow(), level == SignatureLevel.BaselineT);
        return await _builder.SignAsync(hash.GetHashAndReset(), signer, request, cancellationToken);
    }
}
