using System.Diagnostics;
using System.Globalization;
using System.Text;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Testing.Saml;
using Xunit.Abstractions;

namespace IdentityHub.IntegrationTests.Saml;

/// <summary>
/// 10,000 mutated AuthnRequests, half by HTTP-Redirect and half by HTTP-POST, each one real request to the running hub
/// (<see cref="SamlMutator"/> builds them from a seed; SAML_FUZZ_SEED replays another). The oracle: no 500 and no stack
/// trace; every answer the error page, a SAML error Response, or an acceptance; an acceptance only when nothing the
/// signature covers was changed; every refusal audited once and nothing stored for it; and refusals spread over the
/// reason classes, so the cases reach the signature and protocol checks rather than dying in base64.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class SamlFuzzTests(HubFixture hub, ITestOutputHelper output)
{
    private const int DefaultSeed = 20_261_207;
    private const int Cases = 10_000;

    [Fact]
    public async Task Ten_thousand_mutated_AuthnRequests_get_no_500_and_no_change_to_signed_content_is_accepted()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SAML_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        var replay = $"seed {seed} (rerun with SAML_FUZZ_SEED={seed})";
        output.WriteLine($"SAML fuzz: {replay}, {Cases} cases");
        using var sp = TestServiceProvider.Create("fuzz");
        using var sso = new SsoEndpoint(hub);
        await sso.RegisterAsync(sp);
        using var mutator = new SamlMutator(sp, hub.BaseAddress, seed);

        var before = await sso.LastAuditSequenceAsync();
        var results = new (FuzzCase Case, SsoReply Reply)[Cases];
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, Cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            FuzzCase fuzzCase;
            try
            {
                fuzzCase = mutator.Build(i);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new InvalidOperationException($"building case {i} of {replay} failed: {ex.Message}", ex);
            }

            try
            {
                var reply = fuzzCase.Url is not null ? await sso.GetAsync(fuzzCase.Url, ct) : await sso.PostAsync(fuzzCase.Form!, ct);
                results[i] = (fuzzCase, reply);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                throw new InvalidOperationException($"case {i} ({fuzzCase.Binding} {fuzzCase.Mutation}) of {replay}: {ex.Message}", ex);
            }
        });
        var elapsed = clock.Elapsed;
        var refusals = await sso.RefusalsSinceAsync(before);
        var stored = await sso.StoredAsync(sp.EntityId);

        var report = Report(results, refusals, elapsed, replay);
        output.WriteLine(report);

        string Examples(IEnumerable<(FuzzCase Case, SsoReply Reply)> cases) => string.Join("\n", cases.Take(10).Select(r =>
            $"  case {r.Case.Index} {r.Case.Binding} {r.Case.Mutation}: {r.Reply}"));

        var serverErrors = results.Where(r => r.Reply.Kind == SsoReplyKind.ServerError).ToList();
        Assert.True(serverErrors.Count == 0, $"{serverErrors.Count} answers were 5xx or showed an exception, {replay}:\n{Examples(serverErrors)}");
        var others = results.Where(r => r.Reply.Kind == SsoReplyKind.Other).ToList();
        Assert.True(others.Count == 0, $"{others.Count} answers were neither the error page, a SAML error nor an acceptance, {replay}:\n{Examples(others)}");
        var acceptedChanges = results.Where(r => r.Reply.Kind == SsoReplyKind.Accepted && r.Case.SignedContentChanged).ToList();
        Assert.True(acceptedChanges.Count == 0, $"{acceptedChanges.Count} requests whose signed content was changed were accepted, {replay}:\n{Examples(acceptedChanges)}");

        // The unmutated controls are taken, and so are some mutations of what is not signed (the oracle is not "refuse all").
        var controls = results.Where(r => r.Case.IsControl).ToList();
        Assert.True(controls.Count > 50 && controls.All(r => r.Reply.Kind == SsoReplyKind.Accepted), $"controls refused, {replay}:\n{Examples(controls.Where(r => r.Reply.Kind != SsoReplyKind.Accepted))}");
        foreach (var binding in new[] { SamlMutator.Redirect, SamlMutator.Post })
        {
            Assert.True(results.Count(r => r.Case.Binding == binding && !r.Case.IsControl && !r.Case.SignedContentChanged && r.Reply.Kind == SsoReplyKind.Accepted) >= 20,
                $"fewer than 20 {binding} mutations of unsigned parts were accepted, {replay}");
        }

        // Every refusal is audited exactly once, and only accepted requests are stored.
        var refused = results.Count(r => r.Reply.Kind is SsoReplyKind.ErrorPage or SsoReplyKind.SamlError);
        Assert.Equal(refused, refusals.Count);
        Assert.Equal(results.Count(r => r.Reply.Kind == SsoReplyKind.Accepted), stored);

        // Refusals spread over the reason classes: parsing, the issuer, the signature checks, the binding rules.
        var byCode = refusals.GroupBy(r => r.Code).ToDictionary(g => g.Key, g => g.Count());
        foreach (var code in new[]
        {
            "bad-base64", "not-deflated", "malformed-xml", "dtd", "duplicate-id", "unknown-sp", "bad-signature", "signature-wrapping",
            "algorithm-not-allowed", "unsigned-content", "unsigned", "incomplete-signature", "signature-in-redirect", "duplicate-parameter",
            "relay-state-too-long", "missing-message", "unsupported-encoding",
        })
        {
            Assert.True(byCode.GetValueOrDefault(code) >= 20, $"only {byCode.GetValueOrDefault(code)} refusals for {code}, {replay}");
        }

        // Rarer on purpose: control characters in the unsigned POST RelayState (a NUL was a 500 before the form reader was guarded).
        Assert.True(byCode.GetValueOrDefault("malformed-form") + byCode.GetValueOrDefault("relay-state-invalid") >= 10, $"too few RelayStates with control characters, {replay}");

        // Most mutations get past the reader to the signature checks.
        var signatureStage = new[] { "bad-signature", "signature-wrapping", "algorithm-not-allowed", "unsigned-content", "unsigned", "unknown-sp" }.Sum(byCode.GetValueOrDefault);
        Assert.True(signatureStage >= Cases * 3 / 10, $"only {signatureStage} refusals came from the issuer and signature checks, {replay}");
    }

    private static string Report((FuzzCase Case, SsoReply Reply)[] results, IReadOnlyList<AuditedRefusal> refusals, TimeSpan elapsed, string replay)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{results.Length} cases in {elapsed.TotalSeconds:F1} s ({results.Length / elapsed.TotalSeconds:F0} requests/s), {replay}");
        foreach (var binding in results.GroupBy(r => r.Case.Binding).OrderBy(g => g.Key))
        {
            text.AppendLine(binding.Key + ": " + string.Join(", ", binding.GroupBy(r => r.Reply.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))
                + $"; signed content changed {binding.Count(r => r.Case.SignedContentChanged)}, of which accepted {binding.Count(r => r.Case.SignedContentChanged && r.Reply.Kind == SsoReplyKind.Accepted)}"
                + $"; unsigned-only mutations accepted {binding.Count(r => !r.Case.IsControl && !r.Case.SignedContentChanged && r.Reply.Kind == SsoReplyKind.Accepted)}");
        }

        text.AppendLine("refusals audited by code: " + string.Join(", ", refusals.GroupBy(r => r.Code).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}")));
        text.AppendLine("by mutation (binding mutation: accepted/refused):");
        foreach (var mutation in results.GroupBy(r => $"{r.Case.Binding} {Family(r.Case.Mutation)}").OrderBy(g => g.Key))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {mutation.Key}: {mutation.Count(r => r.Reply.Kind == SsoReplyKind.Accepted)}/{mutation.Count(r => r.Reply.Kind != SsoReplyKind.Accepted)}");
        }

        return text.ToString();
    }

    /// <summary>The mutation without its random detail (xml-issuer-comment → xml-issuer-comment, deflate-bitflip → deflate-bitflip).</summary>
    private static string Family(string mutation) => mutation.StartsWith("resigned-attacker-key", StringComparison.Ordinal) ? "resigned-attacker-key"
        : mutation.StartsWith("attacker-key-", StringComparison.Ordinal) ? "attacker-key" : mutation;
}
