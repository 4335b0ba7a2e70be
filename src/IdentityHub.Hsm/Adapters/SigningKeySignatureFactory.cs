using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Math;

namespace IdentityHub.Hsm.Adapters;

/// <summary>
/// BouncyCastle's signing seam over <see cref="ISigningKey"/>: certificate, CRL, OCSP and CMS generators hash what they
/// sign into the calculator's stream, and the digest is signed in the HSM.
/// </summary>
internal sealed class SigningKeySignatureFactory : ISignatureFactory
{
    private readonly ISigningKey _key;
    private readonly HashAlgorithmName _hash;
    private readonly bool _pss;
    private readonly AlgorithmIdentifier _algorithm;

    public SigningKeySignatureFactory(ISigningKey key, HashAlgorithmName hash, bool pss)
    {
        _key = key;
        _hash = hash;
        _pss = pss && key.Algorithm.IsRsa();
        _algorithm = AlgorithmFor(key.Algorithm, hash, _pss);
    }

    public object AlgorithmDetails => _algorithm;

    public IStreamCalculator<IBlockResult> CreateCalculator() => new Calculator(this);

    private byte[] Sign(ReadOnlySpan<byte> digest)
    {
        var signature = _key.SignDigest(digest, _hash, _key.Algorithm.IsRsa() ? (_pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1) : null);
        if (_key.Algorithm.IsRsa())
        {
            return signature;
        }

        // X.509 and CMS carry ECDSA signatures as Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 5480 §2.2 / RFC 5758 §3.2).
        var half = signature.Length / 2;
        return new DerSequence(
            new DerInteger(new BigInteger(1, signature, 0, half)),
            new DerInteger(new BigInteger(1, signature, half, half))).GetEncoded(Asn1Encodable.Der);
    }

    private static AlgorithmIdentifier AlgorithmFor(KeyAlgorithm key, HashAlgorithmName hash, bool pss)
    {
        var hashOid = hash.Name switch
        {
            "SHA256" => NistObjectIdentifiers.IdSha256,
            "SHA384" => NistObjectIdentifiers.IdSha384,
            "SHA512" => NistObjectIdentifiers.IdSha512,
            _ => throw new CryptographicException($"Signing with {hash.Name} is not supported."),
        };

        if (!key.IsRsa())
        {
            // RFC 5758 §3.2: ecdsa-with-SHA* carry no parameters.
            var oid = hash.Name switch
            {
                "SHA256" => X9ObjectIdentifiers.ECDsaWithSha256,
                "SHA384" => X9ObjectIdentifiers.ECDsaWithSha384,
                _ => X9ObjectIdentifiers.ECDsaWithSha512,
            };
            return new AlgorithmIdentifier(oid);
        }

        if (pss)
        {
            // RFC 4055 §3.1: hash, MGF1 with the same hash, salt as long as the hash, trailer 1.
            var hashAlgorithm = new AlgorithmIdentifier(hashOid, DerNull.Instance);
            var parameters = new RsassaPssParameters(hashAlgorithm,
                new AlgorithmIdentifier(PkcsObjectIdentifiers.IdMgf1, hashAlgorithm),
                DerInteger.ValueOf(HashLength(hash)),
                DerInteger.ValueOf(1));
            return new AlgorithmIdentifier(PkcsObjectIdentifiers.IdRsassaPss, parameters);
        }

        // RFC 4055 §5: sha*WithRSAEncryption with NULL parameters.
        var rsaOid = hash.Name switch
        {
            "SHA256" => PkcsObjectIdentifiers.Sha256WithRsaEncryption,
            "SHA384" => PkcsObjectIdentifiers.Sha384WithRsaEncryption,
            _ => PkcsObjectIdentifiers.Sha512WithRsaEncryption,
        };
        return new AlgorithmIdentifier(rsaOid, DerNull.Instance);
    }

    private static int HashLength(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA256" => 32,
        "SHA384" => 48,
        _ => 64,
    };

    /// <summary>One signature: BouncyCastle writes the to-be-signed bytes, then asks for the result once.</summary>
    private sealed class Calculator(SigningKeySignatureFactory factory) : IStreamCalculator<IBlockResult>, IDisposable
    {
        private readonly HashingStream _stream = new(factory._hash);

        public Stream Stream => _stream;

        public IBlockResult GetResult() => new SimpleBlockResult(factory.Sign(_stream.Finish()));

        public void Dispose() => _stream.Dispose();
    }

    /// <summary>A write-only stream that feeds an incremental hash; <see cref="Finish"/> releases the hash.</summary>
    private sealed class HashingStream(HashAlgorithmName hash) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(hash);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        /// <summary>The digest of everything written; callable after Dispose, because BouncyCastle disposes the stream before asking for the result.</summary>
        public byte[] Finish()
        {
            var digest = _hash.GetHashAndReset();
            _hash.Dispose();
            return digest;
        }

        public override void Write(byte[] buffer, int offset, int count) => _hash.AppendData(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => _hash.AppendData(buffer);

        public override void WriteByte(byte value) => _hash.AppendData([value]);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

    }
}
