using System.Security.Cryptography;
using IdentityHub.Signing.Csc;

namespace IdentityHub.Signing.Tests.Csc;

/// <summary>CSC signHash returns ECDSA signatures as RFC 3279 DER: every (r, s), including those with leading zero bytes.</summary>
public sealed class EcdsaSigValueTests
{
    [Fact]
    public void A_signature_whose_r_or_s_starts_with_a_zero_byte_becomes_a_minimal_DER_value_that_verifies()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var found = 0;
        for (var i = 0; i < 20_000 && found < 3; i++)
        {
            var hash = SHA256.HashData(BitConverter.GetBytes(i));
            var p1363 = key.SignHash(hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            if (p1363[0] != 0 && p1363[32] != 0)
            {
                continue;
            }

            found++;
            var der = CscAlgorithms.EcdsaSigValue(p1363);
            Assert.True(key.VerifyHash(hash, der, DSASignatureFormat.Rfc3279DerSequence));
        }

        Assert.Equal(3, found);
    }
}
