using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Signing.Asic;
using IdentityHub.Signing.Cms;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Pdf;
using IdentityHub.Signing.Validation;
using IdentityHub.Signing.Xades;
using IdentityHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>
/// The validation service on the hub's own signatures, every format at every level it is made at: TOTAL-PASSED, a
/// qualified certificate with its key in a QSCD, and the level reached equal to the level asked for.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class OwnSignatureValidationTests(HubFixture hub)
{
    [Theory]
    [InlineData(SignatureLevel.BaselineB)]
    [InlineData(SignatureLevel.BaselineT)]
    [InlineData(SignatureLevel.BaselineLT)]
    [InlineData(SignatureLevel.BaselineLTA)]
    public async Task PAdES(SignatureLevel level)
    {
        var signer = await hub.IssueSignerAsync();
        var signed = await hub.App.Services.GetRequiredService<PadesSigner>()
            .SignAsync(PadesTools.SimplePdf(), signer.Identity, new PadesParameters { Level = level }, CancellationToken.None);
        await ExpectPassedAsync(new ValidationInput("signed.pdf", signed, []), level);
    }

    [Theory]
    [InlineData(SignatureLevel.BaselineB)]
    [InlineData(SignatureLevel.BaselineT)]
    [InlineData(SignatureLevel.BaselineLT)]
    public async Task XAdES_enveloped_and_detached_and_ASiC_E(SignatureLevel level)
    {
        var signer = await hub.IssueSignerAsync();
        var xades = hub.App.Services.GetRequiredService<XadesSigner>();
        var enveloped = await xades.SignEnvelopedAsync("<order><item>42</item></order>"u8.ToArray(), signer.Identity, level, CancellationToken.None);
        await ExpectPassedAsync(new ValidationInput("order.xml", enveloped, []), level);

        var file = new SignedFile("report.txt", "text/plain", "quarterly report"u8.ToArray());
        var detached = await xades.SignDetachedAsync([file], signer.Identity, level, CancellationToken.None);
        await ExpectPassedAsync(new ValidationInput("report.txt.xml", detached, [file]), level);

        var container = await hub.App.Services.GetRequiredService<AsicContainer>().CreateAsync(
            [file, new SignedFile("annex.pdf", "application/pdf", PadesTools.SimplePdf())], signer.Identity, level, CancellationToken.None);
        await ExpectPassedAsync(new ValidationInput("report.asice", container, []), level);
    }

    [Theory]
    [InlineData(SignatureLevel.BaselineB)]
    [InlineData(SignatureLevel.BaselineT)]
    public async Task CAdES_detached(SignatureLevel level)
    {
        var signer = await hub.IssueSignerAsync();
        var content = "the signed text"u8.ToArray();
        using var stream = new MemoryStream(content);
        var p7s = await hub.App.Services.GetRequiredService<CadesSigner>().SignDetachedAsync(stream, signer.Identity, level, CancellationToken.None);
        await ExpectPassedAsync(new ValidationInput("text.txt.p7s", p7s, [new SignedFile("text.txt", "text/plain", content)]), level);
    }

    private async Task ExpectPassedAsync(ValidationInput input, SignatureLevel level)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<ValidationService>().ValidateAsync(input, null, CancellationToken.None);
        Assert.Null(report.Problem);
        var signature = Assert.Single(report.Signatures);
        Assert.True(signature.Indication == Indication.TotalPassed, $"{input.Name}: {signature.Indication} {signature.SubIndication}: {string.Join(" | ", signature.Messages)}");
        Assert.Equal(level, signature.Level);
        Assert.True(signature.QualifiedCertificate);
        Assert.True(signature.QualifiedSignatureCreationDevice);
        Assert.True(signature.ChainTrusted);
        Assert.Equal("good", signature.RevocationStatus);
        if (level >= SignatureLevel.BaselineT)
        {
            Assert.NotNull(signature.ProvenSigningTime);
        }
    }
}
