using System.Buffers.Binary;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityHub.Testing;

/// <summary>How a registration is attested.</summary>
public enum AttestationKind
{
    None,
    PackedSelf,

    /// <summary>packed with x5c: an attestation certificate signed by <see cref="AttestationIssuer"/>.</summary>
    PackedCertificate,
    FidoU2f,
}

/// <summary>The attestation certificate authority of a test authenticator model (its root goes into the hub's trust anchors).</summary>
public sealed class AttestationIssuer : IDisposable
{
    public AttestationIssuer(string name = "Test Authenticator Vendor Root")
    {
        RootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"C=XA, O=Test Authenticator Vendor, CN={name}", RootKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
    }

    public ECDsa RootKey { get; }

    public X509Certificate2 Root { get; }

    public string RootPem => Root.ExportCertificatePem();

    /// <summary>The subject of the attestation certificates it issues (tests break the §8.2.1 profile with another).</summary>
    public string LeafSubject { get; set; } = "C=XA, O=Test Authenticator Vendor, OU=Authenticator Attestation, CN=Test Batch 1";

    /// <summary>Issue attestation certificates marked as CA certificates (which §8.2.1 forbids).</summary>
    public bool LeafIsCa { get; set; }

    /// <summary>The AAGUID written into attestation certificates; null: the authenticator's own.</summary>
    public Guid? LeafAaguid { get; set; }

    /// <summary>A batch attestation certificate for a key of the model (WebAuthn §8.2.1 profile).</summary>
    public X509Certificate2 Issue(ECDsa attestationKey, Guid? aaguid)
    {
        ArgumentNullException.ThrowIfNull(attestationKey);
        var request = new CertificateRequest(LeafSubject, attestationKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(LeafIsCa, false, 0, true));
        if ((LeafAaguid ?? aaguid) is { } id)
        {
            request.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.45724.1.1.4", [0x04, 0x10, .. id.ToByteArray(bigEndian: true)], false));
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return request.Create(Root, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2), serial);
    }

    public void Dispose()
    {
        RootKey.Dispose();
        Root.Dispose();
    }
}

/// <summary>What a test changes in an authenticator's answer (everything is signed afterwards, as a real one would sign it).</summary>
public sealed record WebAuthnTweaks
{
    public string? Origin { get; init; }

    public string? RpId { get; init; }

    public string? Type { get; init; }

    public bool UserPresent { get; init; } = true;

    public bool UserVerified { get; init; } = true;

    public bool CrossOrigin { get; init; }

    public uint? SignCount { get; init; }

    /// <summary>Changes clientDataJSON after it was signed (the signature then no longer covers it).</summary>
    public Func<string, string>? TamperClientData { get; init; }

    /// <summary>Answers with this credential id (e.g. another account's).</summary>
    public byte[]? CredentialId { get; init; }

    /// <summary>Claims this user handle.</summary>
    public string? UserHandle { get; init; }
}

/// <summary>
/// A WebAuthn authenticator in software (WebAuthn Level 3 §6): a P-256 credential, authenticator data, attestation
/// objects (none, packed self, packed with a certificate, fido-u2f) and assertions, signed like a real authenticator
/// signs them. It answers the options JSON the hub sends with the JSON a browser's PublicKeyCredential.toJSON() gives,
/// so tests can speak the protocol to the hub over HTTP and bend one field at a time.
/// </summary>
public sealed class SoftwareAuthenticator : IDisposable
{
    public static readonly Guid TestAaguid = new("6a1f2b0c-7d3e-4a59-8b1c-2e3f4a5b6c7d");

    private readonly string _origin;
    private readonly string _rpId;
    private readonly ECDsa _attestationKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public SoftwareAuthenticator(string origin, string rpId = "localhost", bool backupEligible = false)
    {
        _origin = origin.TrimEnd('/');
        _rpId = rpId;
        BackupEligible = backupEligible;
        Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CredentialId = RandomNumberGenerator.GetBytes(16);
    }

    public ECDsa Key { get; }

    public byte[] CredentialId { get; }

    public uint SignCount { get; set; }

    public bool BackupEligible { get; }

    public string? UserHandle { get; private set; }

    public string CredentialIdText => WebEncoders.Base64UrlEncode(CredentialId);

    /// <summary>Answers navigator.credentials.create() options.</summary>
    public string Register(string optionsJson, AttestationKind attestation = AttestationKind.None, AttestationIssuer? issuer = null, WebAuthnTweaks? tweaks = null)
    {
        tweaks ??= new WebAuthnTweaks();
        var options = JsonNode.Parse(optionsJson)!;
        var challenge = options["challenge"]!.GetValue<string>();
        UserHandle = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(options["user"]!["id"]!.GetValue<string>()));
        var clientData = ClientData(tweaks.Type ?? "webauthn.create", challenge, tweaks);
        var clientDataHash = SHA256.HashData(Encoding.UTF8.GetBytes(clientData));
        var aaguid = attestation == AttestationKind.FidoU2f ? Guid.Empty : TestAaguid;
        var authData = AuthenticatorData(tweaks, withCredential: true, aaguid);
        var attestationObject = AttestationObject(attestation, issuer, authData, clientDataHash);
        var body = new JsonObject
        {
            ["id"] = CredentialIdText,
            ["rawId"] = CredentialIdText,
            ["type"] = "public-key",
            ["authenticatorAttachment"] = "platform",
            ["clientExtensionResults"] = new JsonObject(),
            ["response"] = new JsonObject
            {
                ["clientDataJSON"] = B64(Encoding.UTF8.GetBytes(tweaks.TamperClientData?.Invoke(clientData) ?? clientData)),
                ["attestationObject"] = B64(attestationObject),
                ["transports"] = new JsonArray("internal"),
            },
        };
        return body.ToJsonString();
    }

    /// <summary>Answers navigator.credentials.get() options; the counter goes up by one unless a tweak sets it.</summary>
    public string Assert(string optionsJson, WebAuthnTweaks? tweaks = null)
    {
        tweaks ??= new WebAuthnTweaks();
        var options = JsonNode.Parse(optionsJson)!;
        var challenge = options["challenge"]!.GetValue<string>();
        var clientData = ClientData(tweaks.Type ?? "webauthn.get", challenge, tweaks);
        SignCount = tweaks.SignCount ?? SignCount + 1;
        var authData = AuthenticatorData(tweaks, withCredential: false, Guid.Empty);
        var signature = Key.SignData([.. authData, .. SHA256.HashData(Encoding.UTF8.GetBytes(clientData))], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var id = WebEncoders.Base64UrlEncode(tweaks.CredentialId ?? CredentialId);
        var userHandle = tweaks.UserHandle ?? UserHandle;
        var body = new JsonObject
        {
            ["id"] = id,
            ["rawId"] = id,
            ["type"] = "public-key",
            ["authenticatorAttachment"] = "platform",
            ["clientExtensionResults"] = new JsonObject(),
            ["response"] = new JsonObject
            {
                ["clientDataJSON"] = B64(Encoding.UTF8.GetBytes(tweaks.TamperClientData?.Invoke(clientData) ?? clientData)),
                ["authenticatorData"] = B64(authData),
                ["signature"] = B64(signature),
                ["userHandle"] = userHandle is null ? null : B64(Encoding.UTF8.GetBytes(userHandle)),
            },
        };
        return body.ToJsonString();
    }

    public void Dispose()
    {
        Key.Dispose();
        _attestationKey.Dispose();
    }

    private string ClientData(string type, string challenge, WebAuthnTweaks tweaks) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["type"] = type,
            ["challenge"] = challenge,
            ["origin"] = tweaks.Origin ?? _origin,
            ["crossOrigin"] = tweaks.CrossOrigin,
        });

    private byte[] AuthenticatorData(WebAuthnTweaks tweaks, bool withCredential, Guid aaguid)
    {
        var flags = (byte)((tweaks.UserPresent ? 0x01 : 0) | (tweaks.UserVerified ? 0x04 : 0) | (BackupEligible ? 0x08 : 0) | (withCredential ? 0x40 : 0));
        var data = new List<byte>(SHA256.HashData(Encoding.UTF8.GetBytes(tweaks.RpId ?? _rpId)));
        data.Add(flags);
        var counter = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(counter, withCredential ? tweaks.SignCount ?? SignCount : SignCount);
        data.AddRange(counter);
        if (withCredential)
        {
            data.AddRange(aaguid.ToByteArray(bigEndian: true));
            data.Add((byte)(CredentialId.Length >> 8));
            data.Add((byte)CredentialId.Length);
            data.AddRange(CredentialId);
            data.AddRange(CoseKey(Key));
        }

        return [.. data];
    }

    private byte[] AttestationObject(AttestationKind kind, AttestationIssuer? issuer, byte[] authData, byte[] clientDataHash)
    {
        var writer = new CborWriter(CborConformanceMode.Ctap2Canonical);
        writer.WriteStartMap(3);
        writer.WriteTextString("fmt");
        writer.WriteTextString(kind switch { AttestationKind.None => "none", AttestationKind.FidoU2f => "fido-u2f", _ => "packed" });
        writer.WriteTextString("attStmt");
        switch (kind)
        {
            case AttestationKind.None:
                writer.WriteStartMap(0);
                writer.WriteEndMap();
                break;
            case AttestationKind.PackedSelf:
                writer.WriteStartMap(2);
                writer.WriteTextString("alg");
                writer.WriteInt32(-7);
                writer.WriteTextString("sig");
                writer.WriteByteString(Key.SignData([.. authData, .. clientDataHash], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
                writer.WriteEndMap();
                break;
            case AttestationKind.PackedCertificate:
            {
                using var certificate = (issuer ?? throw new ArgumentNullException(nameof(issuer))).Issue(_attestationKey, TestAaguid);
                writer.WriteStartMap(3);
                writer.WriteTextString("alg");
                writer.WriteInt32(-7);
                writer.WriteTextString("sig");
                writer.WriteByteString(_attestationKey.SignData([.. authData, .. clientDataHash], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
                writer.WriteTextString("x5c");
                writer.WriteStartArray(1);
                writer.WriteByteString(certificate.RawData);
                writer.WriteEndArray();
                writer.WriteEndMap();
                break;
            }

            case AttestationKind.FidoU2f:
            {
                using var certificate = (issuer ?? throw new ArgumentNullException(nameof(issuer))).Issue(_attestationKey, null);
                var point = Key.ExportParameters(false).Q;
                byte[] signed = [0x00, .. authData.AsSpan(0, 32), .. clientDataHash, .. CredentialId, 0x04, .. point.X!, .. point.Y!];
                writer.WriteStartMap(2);
                writer.WriteTextString("sig");
                writer.WriteByteString(_attestationKey.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
                writer.WriteTextString("x5c");
                writer.WriteStartArray(1);
                writer.WriteByteString(certificate.RawData);
                writer.WriteEndArray();
                writer.WriteEndMap();
                break;
            }
        }

        writer.WriteTextString("authData");
        writer.WriteByteString(authData);
        writer.WriteEndMap();
        return writer.Encode();
    }

    private static byte[] CoseKey(ECDsa key)
    {
        var q = key.ExportParameters(false).Q;
        var writer = new CborWriter(CborConformanceMode.Ctap2Canonical);
        writer.WriteStartMap(5);
        writer.WriteInt32(1);
        writer.WriteInt32(2);
        writer.WriteInt32(3);
        writer.WriteInt32(-7);
        writer.WriteInt32(-1);
        writer.WriteInt32(1);
        writer.WriteInt32(-2);
        writer.WriteByteString(q.X!);
        writer.WriteInt32(-3);
        writer.WriteByteString(q.Y!);
        writer.WriteEndMap();
        return writer.Encode();
    }

    private static string B64(byte[] bytes) => WebEncoders.Base64UrlEncode(bytes);
}
