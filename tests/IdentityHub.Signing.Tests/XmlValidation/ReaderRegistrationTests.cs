using IdentityHub.Signing.Validation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Signing.Tests.XmlValidation;

/// <summary>Every format reader is registered once, and exactly one of them claims each corpus file.</summary>
public sealed class ReaderRegistrationTests
{
    private static ISignatureReader[] RegisteredReaders()
    {
        var services = new ServiceCollection();
        IConfiguration configuration = new ConfigurationBuilder().Build();
        services.AddIdentityHubSigning(configuration);
        services.AddIdentityHubSigning(configuration);
        return [.. services.BuildServiceProvider().GetServices<ISignatureReader>()];
    }

    [Fact]
    public void Readers_are_registered_once_each()
    {
        string[] containers = [.. RegisteredReaders().Select(r => r.Container)];

        Assert.Equal(["ASiC-E (CAdES)", "ASiC-E (XAdES)", "ASiC-S (CAdES)", "ASiC-S (XAdES)", "CAdES", "PAdES", "XAdES"], containers.Order(StringComparer.Ordinal));
    }

    public static TheoryData<string> Files => SignatureCorpus.Files("XAdES", "ASiC-E", "ASiC-S", "PAdES", "CAdES");

    [Theory]
    [MemberData(nameof(Files))]
    public void Exactly_one_reader_claims_each_file(string file)
    {
        ValidationInput input = SignatureCorpus.Input(file);

        ISignatureReader reader = Assert.Single(RegisteredReaders(), r => r.CanRead(input));

        Assert.StartsWith(SignatureCorpus.Entry(file).GetProperty("format").GetString()!, reader.Container, StringComparison.Ordinal);
    }

    [Fact]
    public void Pdf_and_cms_files_are_claimed_by_their_own_reader_only()
    {
        var pdf = new ValidationInput("a.pdf", "%PDF-1.7\n"u8.ToArray(), []);
        var cms = new ValidationInput("a.p7s", new byte[] { 0x30, 0x82, 0x01, 0x00 }, []);

        Assert.Equal("PAdES", Assert.Single(RegisteredReaders(), r => r.CanRead(pdf)).Container);
        Assert.Equal("CAdES", Assert.Single(RegisteredReaders(), r => r.CanRead(cms)).Container);
    }
}
