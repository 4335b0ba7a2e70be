using System.Security.Cryptography.X509Certificates;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Validation;
using IdentityHub.Signing.Validation.Cades;
using IdentityHub.Signing.Validation.Pades;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace IdentityHub.Signing.Tests.Validation;

/// <summary>The readers and the assessor as the validation service runs them, without a hub (no hub roots or CAs).</summary>
internal static class OfflineValidator
{
    private static readonly ISignatureReader[] Readers = [new PadesReader(), new CadesReader()];

    public static async Task<(IReadOnlyList<SignatureEvidence> Evidence, IReadOnlyList<SignatureReport> Reports)> ValidateAsync(
        ValidationInput input, IReadOnlyList<byte[]>? anchors = null, DateTimeOffset? at = null)
    {
        var reader = Readers.First(r => r.CanRead(input));
        var evidence = await reader.ReadAsync(input, CancellationToken.None);
        var context = new AssessmentContext([.. (anchors ?? []).Select(a => new BcCertificate(a))], at ?? DateTimeOffset.UtcNow, []);
        var assessor = new SignatureAssessor(new NoRevocationSource());
        var reports = new List<SignatureReport>();
        foreach (var signature in evidence)
        {
            reports.Add(await assessor.AssessAsync(signature, context, CancellationToken.None));
        }

        return (evidence, reports);
    }

    public static ValidationInput Input(string name, byte[] document, params SignedFile[] detached) => new(name, document, detached);

    public static byte[] PemCertificate(string path)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(path));
        return certificate.RawData;
    }
}
