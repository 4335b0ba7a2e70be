using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Validation;

namespace IdentityHub.Signing.Tests.Validation;

/// <summary>
/// Every PAdES and CAdES file of the shared corpus (signatures made by other tools) against what EU DSS asserts
/// about it: integrity, signature value, B-level validity, indication and the baseline level, wherever DSS asserts them.
/// </summary>
public sealed partial class DssCorpusTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var entry in Corpus.Entries)
        {
            var file = entry.GetProperty("file").GetString()!;
            if (file.StartsWith("pades/", StringComparison.Ordinal) || file.StartsWith("cades/", StringComparison.Ordinal))
            {
                data.Add(file);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task The_hub_agrees_with_DSS(string file)
    {
        var entry = Corpus.Entry(file);
        var dssTest = entry.GetProperty("dssTest");
        var anchors = dssTest.GetProperty("anchors") is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Select(a => OfflineValidator.PemCertificate(Path.Combine(Corpus.Root, a.GetString()!))).ToList()
            : [];
        DateTimeOffset? at = dssTest.GetProperty("validationTime").GetString() is { } time ? DateTimeOffset.Parse(time, CultureInfo.InvariantCulture) : null;
        var detached = entry.GetProperty("original").GetString() is { } original
            ? new[] { new SignedFile(Path.GetFileName(original), "application/octet-stream", Corpus.Read(original)) }
            : [];
        var (evidence, reports) = await OfflineValidator.ValidateAsync(OfflineValidator.Input(Path.GetFileName(file), Corpus.Read(file), detached), anchors, at);
        var because = string.Join("\n", reports.Select(r => $"{r.Id}: {r.Indication}/{r.SubIndication} {r.Level} data={r.DataIntact} sig={r.SignatureIntact} {string.Join(" | ", r.Messages)}"));

        Assert.True(entry.GetProperty("numberOfSignatures").GetInt32() == reports.Count, because);
        var expected = entry.GetProperty("expected");
        if (Bool(expected, "integrity") is { } integrity)
        {
            Assert.All(evidence, e => Assert.True(e.DataIntact == integrity, because));
        }

        if (Bool(expected, "signatureIntact") is { } intact)
        {
            Assert.All(evidence, e => Assert.True(e.SignatureIntact == intact, because));
        }

        if (Bool(expected, "signatureValid") is { } valid)
        {
            Assert.All(evidence, e => Assert.True(Valid(e) == valid, because));
        }

        AssertIndication(expected, reports, because);
        if (expected.TryGetProperty("perSignature", out var perSignature))
        {
            foreach (var one in perSignature.EnumerateArray())
            {
                var field = one.GetProperty("field").GetString();
                var index = evidence.ToList().FindIndex(e => e.Id == field);
                Assert.True(index >= 0, $"no signature named {field}: {because}");
                if (Bool(one, "signatureValid") is { } fieldValid)
                {
                    Assert.True(Valid(evidence[index]) == fieldValid, because);
                }

                AssertIndication(one, [reports[index]], because);
            }
        }

        var level = BaselineLevel().Match(entry.GetProperty("levelClaimed").GetString() ?? string.Empty);
        if (level.Success && !entry.GetProperty("knownBad").GetBoolean())
        {
            var expectedLevel = level.Groups[1].Value switch
            {
                "B" => SignatureLevel.BaselineB,
                "T" => SignatureLevel.BaselineT,
                "LT" => SignatureLevel.BaselineLT,
                _ => SignatureLevel.BaselineLTA,
            };
            Assert.All(reports, r => Assert.True(r.Level == expectedLevel, $"level {r.Level}, DSS {expectedLevel}: {because}"));
        }
    }

    // DSS's isSignatureValid: the signature value verifies and every digest over the signed data matches.
    private static bool Valid(SignatureEvidence evidence) => evidence.FormatProblem is null && evidence.DataIntact == true && evidence.SignatureIntact == true;

    private static void AssertIndication(JsonElement expected, IReadOnlyList<SignatureReport> reports, string because)
    {
        if (expected.TryGetProperty("indication", out var indication) && indication.GetString() is { } name)
        {
            Assert.All(reports, r => Assert.True(JsonName(r.Indication) == name.Replace('_', '-'), because));
        }

        if (expected.TryGetProperty("subIndication", out var sub) && sub.GetString() is { } subName)
        {
            Assert.All(reports, r => Assert.True(r.SubIndication is { } s && JsonName(s) == subName, because));
        }
    }

    private static string JsonName<T>(T value) => JsonSerializer.Serialize(value).Trim('"');

    private static bool? Bool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    [GeneratedRegex(@"^(?:PAdES|CAdES)-BASELINE-(B|T|LT|LTA)\b", RegexOptions.CultureInvariant)]
    private static partial Regex BaselineLevel();
}
