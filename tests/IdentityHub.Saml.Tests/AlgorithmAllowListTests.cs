using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Tests;

/// <summary>The algorithm allow-list: nothing built on SHA-1 or MD5 is accepted on a message from a service provider.</summary>
public sealed class AlgorithmAllowListTests
{
    [Theory]
    [InlineData("http://www.w3.org/2000/09/xmldsig#rsa-sha1")]
    [InlineData("http://www.w3.org/2000/09/xmldsig#dsa-sha1")]
    [InlineData("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1")]
    [InlineData("http://www.w3.org/2001/04/xmldsig-more#rsa-md5")]
    [InlineData("http://www.w3.org/2000/09/xmldsig#hmac-sha1")]
    [InlineData("http://www.w3.org/2001/04/xmldsig-more#hmac-sha256")]
    public void Weak_or_symmetric_signature_methods_are_not_accepted(string method) =>
        Assert.DoesNotContain(method, SamlAlgorithms.AcceptedSignatureMethods);

    [Theory]
    [InlineData("http://www.w3.org/2000/09/xmldsig#sha1")]
    [InlineData("http://www.w3.org/2001/04/xmldsig-more#md5")]
    public void Weak_digest_methods_are_not_accepted(string method) =>
        Assert.DoesNotContain(method, SamlAlgorithms.AcceptedDigestMethods);

    [Fact]
    public void RSA_SHA256_and_ECDSA_SHA256_are_accepted()
    {
        Assert.Contains(SamlAlgorithms.RsaSha256, SamlAlgorithms.AcceptedSignatureMethods);
        Assert.Contains(SamlAlgorithms.EcdsaSha256, SamlAlgorithms.AcceptedSignatureMethods);
        Assert.Contains(SamlAlgorithms.Sha256, SamlAlgorithms.AcceptedDigestMethods);
    }
}
