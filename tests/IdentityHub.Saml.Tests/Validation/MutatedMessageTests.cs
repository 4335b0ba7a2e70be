using System.Text;
using System.Xml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Samlp;
using IdentityHub.Saml.Tests.Inbound;
using IdentityHub.Saml.Validation;

namespace IdentityHub.Saml.Tests.Validation;

/// <summary>
/// A property over many byte-level mutations of a signed request (seeded, so a failure reproduces): the reader and the
/// verifier never throw, and whatever still verifies reads exactly like the request the SP signed.
/// </summary>
public sealed class MutatedMessageTests
{
    [Fact]
    public void A_mutated_signed_request_never_throws_and_never_verifies_into_a_different_request()
    {
        XmlDocument signed = TestSigner.Sign(SampleMessages.AuthnRequest(), TestKeys.SpRsa);
        byte[] original = Encoding.UTF8.GetBytes(signed.OuterXml);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        AuthnRequestMessage expected = AuthnRequestReader.Read(signed.DocumentElement!, now, TimeSpan.FromMinutes(3)).Request!;
        var random = new Random(20261207);
        int refused = 0;

        for (int i = 0; i < 600; i++)
        {
            byte[] mutated = Mutate(original, random);
            SamlReadResult read = SamlMessageReader.ReadPost(Convert.ToBase64String(mutated), null, MessageEncoder.MaxBytes);
            SignatureCheck? check = read.Succeeded ? SignatureVerifier.Verify(read.Message!, TestKeys.SpCertificates) : null;
            if (check?.VerifiedRoot is not { } root)
            {
                refused++;
                continue;
            }

            (AuthnRequestMessage? request, _) = AuthnRequestReader.Read(root, now, TimeSpan.FromMinutes(3));
            if (request is not null)
            {
                Assert.Equal(expected with { RequestedClassRefs = [] }, request with { RequestedClassRefs = [] });
                Assert.Equal(expected.RequestedClassRefs, request.RequestedClassRefs);
            }
        }

        Assert.True(refused > 500, $"only {refused} of 600 mutations were refused");
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        int position = random.Next(bytes.Count);
        switch (random.Next(3))
        {
            case 0:
                bytes[position] = (byte)random.Next(32, 127);
                break;
            case 1:
                bytes.RemoveAt(position);
                break;
            default:
                bytes.Insert(position, (byte)"<>\"'=&/ x!-"[random.Next(11)]);
                break;
        }

        return [.. bytes];
    }
}
