using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using IdentityHub.Authentication.Passkeys;
using IdentityHub.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace IdentityHub.Authentication.Tests;

/// <summary>
/// Each check of the attestation policy (WebAuthn Level 3 §8.2, §8.6, §8.7) against a statement changed in one way:
/// a test per check, failing if the check is removed.
/// </summary>
public sealed class AttestationVerifierTests : IDisposable
{
    private const string Options = """{"challenge":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8","user":{"id":"dXNlci0x","name":"u","displayName":"U"}}""";

    private readonly AttestationIssuer _vendor = new();
    private readonly AttestationIssuer _stranger = new("Stranger Root");
    private readonly SoftwareAuthenticator _authenticator = new("http://localhost:5080");
    private readonly string _anchors = Path.Combine(Path.GetTempPath(), $"anchors-{Guid.NewGuid():N}.pem");

    public AttestationVerifierTests() => File.WriteAllText(_anchors, _vendor.RootPem);

    private AttestationVerifier Verifier(string? anchors = "") =>
        new(new AttestationTrustStore(Microsoft.Extensions.Options.Options.Create(new PasskeyOptions { AttestationRootsPath = anchors == "" ? _anchors : anchors })), TimeProvider.System);

    private AttestationVerdict Verify(string credentialJson, string? anchors = "")
    {
        var response = JsonNode.Parse(credentialJson)!["response"]!;
        var attestation = WebEncoders.Base64UrlDecode(response["attestationObject"]!.GetValue<string>());
        var clientDataHash = SHA256.HashData(WebEncoders.Base64UrlDecode(response["clientDataJSON"]!.GetValue<string>()));
        return Verifier(anchors).Verify(attestation, clientDataHash);
    }

    private static string FlipInStatement(string credentialJson, string key, int offset)
    {
        var node = JsonNode.Parse(credentialJson)!;
        var attestation = WebEncoders.Base64UrlDecode(node["response"]!["attestationObject"]!.GetValue<string>());
        var at = attestation.AsSpan().IndexOf(Encoding.ASCII.GetBytes(key));
        attestation[at + key.Length + offset] ^= 0x01;
        node["response"]!["attestationObject"] = WebEncoders.Base64UrlEncode(attestation);
        return node.ToJsonString();
    }

    [Fact]
    public void None_is_valid_and_not_trusted()
    {
        var verdict = Verify(_authenticator.Register(Options, AttestationKind.None));
        Assert.True(verdict.Valid);
        Assert.False(verdict.Trusted);
        Assert.Equal("none", verdict.Format);
        Assert.Equal(SoftwareAuthenticator.TestAaguid, verdict.Aaguid);
    }

    [Fact]
    public void Packed_from_a_trusted_vendor_is_trusted_and_names_the_anchor()
    {
        var verdict = Verify(_authenticator.Register(Options, AttestationKind.PackedCertificate, _vendor));
        Assert.True(verdict.Valid, verdict.Problem);
        Assert.True(verdict.Trusted, verdict.Problem);
        Assert.Contains("Test Authenticator Vendor Root", verdict.Anchor, StringComparison.Ordinal);
    }

    [Fact]
    public void Packed_from_another_vendor_is_valid_but_not_trusted()
    {
        var verdict = Verify(_authenticator.Register(Options, AttestationKind.PackedCertificate, _stranger));
        Assert.True(verdict.Valid, verdict.Problem);
        Assert.False(verdict.Trusted);
    }

    [Fact]
    public void Packed_with_no_anchors_configured_is_not_trusted()
    {
        var verdict = Verify(_authenticator.Register(Options, AttestationKind.PackedCertificate, _vendor), anchors: null);
        Assert.True(verdict.Valid);
        Assert.False(verdict.Trusted);
    }

    [Fact]
    public void Packed_with_a_wrong_signature_is_invalid()
    {
        // The DER signature follows "sig" and its two-byte CBOR header.
        var verdict = Verify(FlipInStatement(_authenticator.Register(Options, AttestationKind.PackedCertificate, _vendor), "sig", 12));
        Assert.False(verdict.Valid);
        Assert.Contains("does not verify", verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Packed_whose_certificate_lacks_the_attestation_OU_is_invalid()
    {
        _vendor.LeafSubject = "C=XA, O=Test Authenticator Vendor, CN=Test Batch 1";
        var verdict = Verify(_authenticator.Register(Options, AttestationKind.PackedCertificate, _vendor));
        Assert.False(verdict.Valid);
        Assert.Contains("profile", verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Packed_whose_certificate_is_a_CA_is_invalid()
    {
        _vendor.LeafIsCa = true;
        var verdict = Verify(_authenticator.Register(Options, AttestationKind.PackedCertificate, _vendor));
        Assert.False(verdict.Valid);
        Assert.Contains("CA certificate", verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Packed_whose_certificate_names_another_model_is_invalid()
    {
        _vendor.LeafAaguid = Guid.NewGuid();
        var verdict = Verify(_authenticator.Register(Options, AttestationKind.PackedCertificate, _vendor));
        Assert.False(verdict.Valid);
        Assert.Contains("AAGUID", verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Self_attestation_is_valid_but_not_trusted_and_a_wrong_self_signature_is_invalid()
    {
        var self = _authenticator.Register(Options, AttestationKind.PackedSelf);
        var verdict = Verify(self);
        Assert.True(verdict.Valid, verdict.Problem);
        Assert.False(verdict.Trusted);

        var broken = Verify(FlipInStatement(self, "sig", 12));
        Assert.False(broken.Valid);
    }

    [Fact]
    public void Fido_u2f_from_a_trusted_vendor_is_trusted_and_a_wrong_signature_is_invalid()
    {
        var u2f = _authenticator.Register(Options, AttestationKind.FidoU2f, _vendor);
        var verdict = Verify(u2f);
        Assert.True(verdict.Valid, verdict.Problem);
        Assert.True(verdict.Trusted, verdict.Problem);
        Assert.Equal("fido-u2f", verdict.Format);

        var broken = Verify(FlipInStatement(u2f, "sig", 12));
        Assert.False(broken.Valid);
        Assert.Contains("does not verify", broken.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_is_invalid()
    {
        var verdict = Verifier().Verify(new byte[] { 0xA1, 0x01 }, new byte[32]);
        Assert.False(verdict.Valid);
    }

    [Fact]
    public void A_batch_certificate_reissued_under_the_anchors_name_and_key_is_trusted_and_one_with_another_key_is_not()
    {
        // Chromium's virtual authenticator makes a fresh self-signed batch certificate each run with one fixed key.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        const string name = "C=US, O=Example, OU=Authenticator Attestation, CN=Batch Certificate";
        using var anchor = SelfSigned(name, key, DateTimeOffset.UtcNow.AddYears(-2));
        using var reissued = SelfSigned(name, key, DateTimeOffset.UtcNow.AddDays(-1));
        using var impostor = SelfSigned(name, other, DateTimeOffset.UtcNow.AddDays(-1));

        Assert.Equal(anchor.Subject, AttestationChains.AnchorOf([reissued], [anchor], DateTime.UtcNow));
        Assert.Null(AttestationChains.AnchorOf([impostor], [anchor], DateTime.UtcNow));
        Assert.Null(AttestationChains.AnchorOf([reissued], [anchor], DateTime.UtcNow.AddYears(30)));
    }

    private static X509Certificate2 SelfSigned(string subject, ECDsa key, DateTimeOffset from)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        return request.CreateSelfSigned(from, from.AddYears(20));
    }

    public void Dispose()
    {
        _vendor.Dispose();
        _stranger.Dispose();
        _authenticator.Dispose();
        File.Delete(_anchors);
    }
}
