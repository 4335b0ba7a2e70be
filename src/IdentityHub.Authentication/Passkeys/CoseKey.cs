using System.Formats.Cbor;
using System.Security.Cryptography;

namespace IdentityHub.Authentication.Passkeys;

/// <summary>
/// A credential public key in COSE_Key form (RFC 9052 §7, RFC 9053 §2 and §7): EC2 keys on P-256/P-384/P-521 with ES256/384/512
/// and RSA keys with RS256 or PS256, the algorithms Identity's passkey handler accepts. Used to verify packed
/// self-attestation and, for the sign-count check, an assertion's signature.
/// </summary>
internal sealed class CoseKey
{
    private readonly ECParameters? _ec;
    private readonly RSAParameters? _rsa;

    private CoseKey(int algorithm, ECParameters? ec, RSAParameters? rsa)
    {
        Algorithm = algorithm;
        _ec = ec;
        _rsa = rsa;
    }

    /// <summary>The COSE algorithm identifier (-7 ES256, -35 ES384, -36 ES512, -257 RS256, -37 PS256).</summary>
    public int Algorithm { get; }

    public static int? EncodedLength(ReadOnlyMemory<byte> data)
    {
        try
        {
            var reader = new CborReader(data, CborConformanceMode.Lax, allowMultipleRootLevelValues: true);
            reader.SkipValue();
            return data.Length - reader.BytesRemaining;
        }
        catch (CborContentException)
        {
            return null;
        }
    }

    public static CoseKey? TryDecode(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            var reader = new CborReader(encoded, CborConformanceMode.Lax);
            var count = reader.ReadStartMap();
            long? kty = null;
            long? alg = null;
            long? crv = null;
            byte[]? x = null;
            byte[]? y = null;
            byte[]? n = null;
            byte[]? e = null;
            for (var i = 0; count is null || i < count; i++)
            {
                if (count is null && reader.PeekState() == CborReaderState.EndMap)
                {
                    break;
                }

                var label = reader.ReadInt64();
                switch (label)
                {
                    case 1: kty = reader.ReadInt64(); break;
                    case 3: alg = reader.ReadInt64(); break;
                    case -1 when kty == 2: crv = reader.ReadInt64(); break;
                    case -1 when kty == 3: n = reader.ReadByteString(); break;
                    case -2 when kty == 2: x = reader.ReadByteString(); break;
                    case -2 when kty == 3: e = reader.ReadByteString(); break;
                    case -3 when kty == 2: y = reader.ReadByteString(); break;
                    default: reader.SkipValue(); break;
                }
            }

            reader.ReadEndMap();
            if (alg is null)
            {
                return null;
            }

            if (kty == 2 && x is not null && y is not null)
            {
                var curve = crv switch
                {
                    1 => ECCurve.NamedCurves.nistP256,
                    2 => ECCurve.NamedCurves.nistP384,
                    3 => ECCurve.NamedCurves.nistP521,
                    _ => (ECCurve?)null,
                };
                return curve is null ? null : new CoseKey((int)alg, new ECParameters { Curve = curve.Value, Q = new ECPoint { X = x, Y = y } }, null);
            }

            return kty == 3 && n is not null && e is not null ? new CoseKey((int)alg, null, new RSAParameters { Modulus = n, Exponent = e }) : null;
        }
        catch (Exception ex) when (ex is CborContentException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The uncompressed point of a P-256 key (fido-u2f's publicKeyU2F is 0x04 || x || y); false for other keys.</summary>
    public bool TryGetP256Point(out byte[] x, out byte[] y)
    {
        x = _ec?.Q.X ?? [];
        y = _ec?.Q.Y ?? [];
        return _ec is { } ec && ec.Curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value && x.Length == 32 && y.Length == 32;
    }

    /// <summary>Verifies a WebAuthn signature (ECDSA signatures are DER-encoded, WebAuthn §6.5.5).</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        try
        {
            if (_ec is { } ec)
            {
                using var key = ECDsa.Create(ec);
                var hash = Algorithm switch { -7 => HashAlgorithmName.SHA256, -35 => HashAlgorithmName.SHA384, -36 => HashAlgorithmName.SHA512, _ => default };
                return hash != default && key.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
            }

            using var rsa = RSA.Create(_rsa!.Value);
            return Algorithm switch
            {
                -257 => rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                -37 => rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
