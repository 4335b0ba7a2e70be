using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IdentityHub.Authentication.Passkeys;

/// <summary>How a registration's attestation statement was judged.</summary>
/// <param name="Valid">The statement's signature and certificate checks hold (or the format carries none to check).</param>
/// <param name="Format">The attestation statement format identifier.</param>
/// <param name="Trusted">The attestation certificate chained to a configured trust anchor.</param>
/// <param name="Anchor">Subject of that anchor.</param>
/// <param name="Problem">Why the statement is invalid or untrusted.</param>
public sealed record AttestationVerdict(bool Valid, string Format, bool Trusted, string? Anchor, string? Problem, Guid Aaguid);

/// <summary>
/// Verifies attestation statements (WebAuthn Level 3 §8) for the formats the hub judges itself: none (§8.7), packed
/// (§8.2, full and self attestation) and fido-u2f (§8.6). A statement of these formats that does not verify refuses
/// the registration; a valid statement whose certificate chains to a trust anchor makes the passkey eligible for level
/// high. Other formats (tpm, android-key, apple …) are registered as unattested: their checks are not implemented here,
/// so they count as "none".
/// </summary>
public sealed class AttestationVerifier(AttestationTrustStore trustStore, TimeProvider time)
{
    /// <summary>id-fido-gen-ce-aaguid: the authenticator model in an attestation certificate (§8.2.1).</summary>
    private const string AaguidExtensionOid = "1.3.6.1.4.1.45724.1.1.4";

    public AttestationVerdict Verify(ReadOnlyMemory<byte> attestationObject, ReadOnlySpan<byte> clientDataHash)
    {
        string format;
        ReadOnlyMemory<byte> statement;
        ReadOnlyMemory<byte> authData;
        try
        {
            (format, statement, authData) = ReadAttestationObject(attestationObject);
        }
        catch (Exception ex) when (ex is CborContentException or InvalidOperationException or FormatException)
        {
            return new AttestationVerdict(false, "?", false, null, "the attestation object is not valid CBOR", Guid.Empty);
        }

        var data = AuthenticatorData.TryParse(authData);
        if (data?.CredentialId is null)
        {
            return new AttestationVerdict(false, format, false, null, "the authenticator data has no attested credential", Guid.Empty);
        }

        return format switch
        {
            "none" => new AttestationVerdict(true, format, false, null, "no attestation", data.Aaguid),
            "packed" => Packed(statement, authData, data, clientDataHash),
            "fido-u2f" => FidoU2f(statement, data, clientDataHash),
            _ => new AttestationVerdict(true, format, false, null, $"attestation format '{format}' is not verified by the hub", data.Aaguid),
        };
    }

    private AttestationVerdict Packed(ReadOnlyMemory<byte> statement, ReadOnlyMemory<byte> authData, AuthenticatorData data, ReadOnlySpan<byte> clientDataHash)
    {
        var (alg, sig, x5c) = ReadStatement(statement);
        if (alg is null || sig is null)
        {
            return Invalid("packed", data, "the packed statement lacks alg or sig");
        }

        byte[] signed = [.. authData.Span, .. clientDataHash];
        if (x5c is null || x5c.Count == 0)
        {
            // Self attestation (§8.2 step 4): signed with the credential key itself; proves nothing about the model.
            var key = CoseKey.TryDecode(data.CredentialPublicKey);
            if (key is null || key.Algorithm != alg)
            {
                return Invalid("packed", data, "self attestation with an algorithm other than the credential's");
            }

            return key.Verify(signed, sig)
                ? new AttestationVerdict(true, "packed", false, null, "self attestation", data.Aaguid)
                : Invalid("packed", data, "the self-attestation signature does not verify");
        }

        var certificates = LoadCertificates(x5c);
        if (certificates is null)
        {
            return Invalid("packed", data, "an x5c certificate cannot be read");
        }

        try
        {
            var leaf = certificates[0];
            if (!VerifyWithCertificate(leaf, alg.Value, signed, sig))
            {
                return Invalid("packed", data, "the attestation signature does not verify with the attestation certificate");
            }

            // §8.2.1: version 3, OU "Authenticator Attestation", not a CA, and the AAGUID extension (if any) matches.
            if (leaf.Version != 3 || !leaf.SubjectName.Name.Contains("OU=Authenticator Attestation", StringComparison.Ordinal))
            {
                return Invalid("packed", data, "the attestation certificate does not have the packed attestation profile");
            }

            if (leaf.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority))
            {
                return Invalid("packed", data, "the attestation certificate is a CA certificate");
            }

            if (leaf.Extensions[AaguidExtensionOid] is { } aaguidExtension && !AaguidMatches(aaguidExtension.RawData, data.Aaguid))
            {
                return Invalid("packed", data, "the AAGUID in the attestation certificate differs from the authenticator's");
            }

            return Chain("packed", certificates, data);
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }

    private AttestationVerdict FidoU2f(ReadOnlyMemory<byte> statement, AuthenticatorData data, ReadOnlySpan<byte> clientDataHash)
    {
        var (_, sig, x5c) = ReadStatement(statement);
        if (sig is null || x5c is not { Count: 1 })
        {
            return Invalid("fido-u2f", data, "the fido-u2f statement needs sig and exactly one certificate");
        }

        var certificates = LoadCertificates(x5c);
        if (certificates is null)
        {
            return Invalid("fido-u2f", data, "the attestation certificate cannot be read");
        }

        try
        {
            // §8.6 steps 2-6: a P-256 certificate key; the signed data is 0x00 || rpIdHash || clientDataHash || credentialId || 0x04 || x || y.
            using var certificateKey = certificates[0].GetECDsaPublicKey();
            var key = CoseKey.TryDecode(data.CredentialPublicKey);
            if (certificateKey is null || certificateKey.KeySize != 256 || key is null || key.Algorithm != -7 || !key.TryGetP256Point(out var x, out var y))
            {
                return Invalid("fido-u2f", data, "fido-u2f needs P-256 keys");
            }

            byte[] signed = [0x00, .. data.RpIdHash, .. clientDataHash, .. data.CredentialId!, 0x04, .. x, .. y];
            return certificateKey.VerifyData(signed, sig, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
                ? Chain("fido-u2f", certificates, data)
                : Invalid("fido-u2f", data, "the fido-u2f signature does not verify");
        }
        finally
        {
            certificates[0].Dispose();
        }
    }

    /// <summary>
    /// Chains the attestation certificates to a configured anchor. Authenticators (and Chromium's virtual one) may
    /// present a batch certificate re-issued under the same name and key as the anchor, so besides X.509 path
    /// building, a chain whose top certificate is signed by an anchor's key under the anchor's name is accepted.
    /// </summary>
    private AttestationVerdict Chain(string format, IReadOnlyList<X509Certificate2> certificates, AuthenticatorData data)
    {
        var anchors = trustStore.Anchors;
        if (anchors.Count == 0)
        {
            return new AttestationVerdict(true, format, false, null, "no attestation trust anchors are configured", data.Aaguid);
        }

        var now = time.GetUtcNow().UtcDateTime;
        using (var chain = new X509Chain())
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(anchors.ToArray());
            chain.ChainPolicy.ExtraStore.AddRange(certificates.Skip(1).ToArray());
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = now;
            if (chain.Build(certificates[0]))
            {
                return new AttestationVerdict(true, format, true, chain.ChainElements[^1].Certificate.Subject, null, data.Aaguid);
            }
        }

        var anchor = AttestationChains.AnchorOf(certificates, anchors, now);
        return anchor is null
            ? new AttestationVerdict(true, format, false, null, "the attestation certificate does not chain to a trust anchor", data.Aaguid)
            : new AttestationVerdict(true, format, true, anchor, null, data.Aaguid);
    }

    private static AttestationVerdict Invalid(string format, AuthenticatorData data, string problem) => new(false, format, false, null, problem, data.Aaguid);

    private static (string Format, ReadOnlyMemory<byte> Statement, ReadOnlyMemory<byte> AuthData) ReadAttestationObject(ReadOnlyMemory<byte> encoded)
    {
        var reader = new CborReader(encoded, CborConformanceMode.Lax);
        var count = reader.ReadStartMap() ?? throw new FormatException("indefinite map");
        string? format = null;
        ReadOnlyMemory<byte> statement = default;
        ReadOnlyMemory<byte> authData = default;
        for (var i = 0; i < count; i++)
        {
            switch (reader.ReadTextString())
            {
                case "fmt": format = reader.ReadTextString(); break;
                case "attStmt": statement = reader.ReadEncodedValue(); break;
                case "authData": authData = reader.ReadByteString(); break;
                default: reader.SkipValue(); break;
            }
        }

        reader.ReadEndMap();
        return format is null || authData.IsEmpty ? throw new FormatException("fmt or authData missing") : (format, statement, authData);
    }

    private static (int? Alg, byte[]? Sig, List<byte[]>? X5c) ReadStatement(ReadOnlyMemory<byte> statement)
    {
        try
        {
            var reader = new CborReader(statement, CborConformanceMode.Lax);
            var count = reader.ReadStartMap() ?? throw new FormatException("indefinite map");
            int? alg = null;
            byte[]? sig = null;
            List<byte[]>? x5c = null;
            for (var i = 0; i < count; i++)
            {
                switch (reader.ReadTextString())
                {
                    case "alg": alg = reader.ReadInt32(); break;
                    case "sig": sig = reader.ReadByteString(); break;
                    case "x5c":
                        x5c = [];
                        var n = reader.ReadStartArray() ?? throw new FormatException("indefinite array");
                        for (var j = 0; j < n; j++)
                        {
                            x5c.Add(reader.ReadByteString());
                        }

                        reader.ReadEndArray();
                        break;
                    default: reader.SkipValue(); break;
                }
            }

            return (alg, sig, x5c);
        }
        catch (Exception ex) when (ex is CborContentException or InvalidOperationException or FormatException or OverflowException)
        {
            return (null, null, null);
        }
    }

    private static List<X509Certificate2>? LoadCertificates(List<byte[]> x5c)
    {
        var certificates = new List<X509Certificate2>();
        try
        {
            foreach (var der in x5c)
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(der));
            }

            return certificates;
        }
        catch (CryptographicException)
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }

            return null;
        }
    }

    private static bool VerifyWithCertificate(X509Certificate2 certificate, int alg, byte[] data, byte[] signature)
    {
        try
        {
            switch (alg)
            {
                case -7 or -35 or -36:
                    using (var ec = certificate.GetECDsaPublicKey())
                    {
                        var hash = alg == -7 ? HashAlgorithmName.SHA256 : alg == -35 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA512;
                        return ec is not null && ec.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
                    }

                case -257 or -37:
                    using (var rsa = certificate.GetRSAPublicKey())
                    {
                        return rsa is not null && rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, alg == -257 ? RSASignaturePadding.Pkcs1 : RSASignaturePadding.Pss);
                    }

                default:
                    return false;
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The extension's value is an OCTET STRING holding the 16-byte AAGUID.</summary>
    private static bool AaguidMatches(byte[] extensionValue, Guid aaguid) =>
        extensionValue is [0x04, 0x10, ..] && extensionValue.Length == 18 && new Guid(extensionValue.AsSpan(2), bigEndian: true) == aaguid;
}
