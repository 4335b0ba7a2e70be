using System.Text.Json;
using IdentityHub.Signing.Validation;

namespace IdentityHub.Signing.Tests.XmlValidation;

/// <summary>Compares reader evidence with the manifest's DSS expectations (MANIFEST.json fieldSemantics).</summary>
internal static class CorpusAssert
{
    /// <summary>
    /// Files whose claimed level is knowingly different from the level DSS reports, and why. DSS lowers a level when the
    /// validation data does not complete the chain; the reader reports what the elements claim and leaves that to the assessor.
    /// </summary>
    private static readonly Dictionary<string, (SignatureLevel Reader, string Why)> LevelExceptions = new()
    {
        ["xades/dss-signed-altered-signedPropsRemoved.xml"] = (SignatureLevel.None, "the SignedProperties reference was removed, so SigningCertificate is not signed: not a baseline signature"),
        ["asic/DSS-2123.asice"] = (SignatureLevel.BaselineLT, "CertificateValues and RevocationValues are present; DSS reports T because the root is not embedded and no anchor was given"),
    };

    public static void AgreesWithDss(string file, IReadOnlyList<SignatureEvidence> signatures, bool allowFormatProblem = false)
    {
        JsonElement entry = SignatureCorpus.Entry(file);
        Assert.Equal(entry.GetProperty("numberOfSignatures").GetInt32(), signatures.Count);
        foreach (SignatureEvidence signature in signatures)
        {
            string context = $"{file} {signature.Id}: data {signature.DataProblem}; format {signature.FormatProblem}";
            if (SignatureCorpus.Expected(file, "integrity") is bool integrity)
            {
                Assert.True(integrity == signature.DataIntact, context);
            }

            if (SignatureCorpus.Expected(file, "signatureIntact") is bool intact)
            {
                Assert.True(intact == signature.SignatureIntact, context);
            }

            if (SignatureCorpus.Expected(file, "signatureValid") is bool valid)
            {
                Assert.True(valid == (signature.SignatureIntact == true && signature.DataIntact == true), context);
            }

            if (BaselineLevel(entry.GetProperty("levelClaimed").GetString()) is SignatureLevel level)
            {
                SignatureLevel expected = LevelExceptions.TryGetValue(file, out var exception) ? exception.Reader : level;
                Assert.True(expected == signature.ClaimedLevel, $"{context}: level {signature.ClaimedLevel}, expected {expected}");
            }

            Assert.NotNull(signature.SigningCertificate);
            if (!allowFormatProblem)
            {
                Assert.Null(signature.FormatProblem);
            }
            if (!entry.GetProperty("knownBad").GetBoolean())
            {
                // Good files: the signed signing-certificate reference names the signer, and every signature time-stamp covers this signature value.
                Assert.True(signature.SigningCertificateReferenceMatches, context);
                Assert.All(signature.SignatureTimestamps, t => Assert.True(t.ImprintMatches, t.Problem));
            }
        }
    }

    /// <summary>"XAdES-BASELINE-LTA", "CAdES-BASELINE-B" … at the start of levelClaimed; null when the manifest gives no baseline level.</summary>
    private static SignatureLevel? BaselineLevel(string? claimed)
    {
        if (claimed is null)
        {
            return null;
        }

        int at = claimed.IndexOf("-BASELINE-", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        string level = new([.. claimed[(at + "-BASELINE-".Length)..].TakeWhile(char.IsLetter)]);
        return level switch
        {
            "B" => SignatureLevel.BaselineB,
            "T" => SignatureLevel.BaselineT,
            "LT" => SignatureLevel.BaselineLT,
            "LTA" => SignatureLevel.BaselineLTA,
            _ => null,
        };
    }
}
