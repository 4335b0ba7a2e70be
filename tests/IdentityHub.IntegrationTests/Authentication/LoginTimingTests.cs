using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using IdentityHub.Authentication.Diagnostics;
using Xunit.Abstractions;

namespace IdentityHub.IntegrationTests.Authentication;

/// <summary>Runs alone (the Argon2id counter it reads is process-wide, and timings mean more on a quiet machine).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialHubCollection : ICollectionFixture<HubFixture>
{
    public const string Name = "serial hub";
}

/// <summary>The login page answers an unknown national id exactly as a wrong password, after the same Argon2id work.</summary>
[Collection(SerialHubCollection.Name)]
public sealed partial class LoginTimingTests(HubFixture hub, ITestOutputHelper output)
{
    [Fact]
    public async Task An_unknown_national_id_and_a_wrong_password_get_the_same_answer_after_one_Argon2id_verification_each()
    {
        var citizen = await hub.ActivateWithTotpAsync();
        var unknownId = IdentityHub.Core.Identity.NationalId.NewId().Value;
        using var counter = new VerificationCounter();
        var unknownTimes = new List<double>();
        var wrongTimes = new List<double>();
        string? unknownBody = null;
        string? wrongBody = null;
        for (var i = 0; i < 4; i++)
        {
            using var client = new HubWebClient(hub.BaseAddress);
            var before = counter.Count;
            var watch = Stopwatch.StartNew();
            var unknown = await client.PasswordAsync(unknownId, "a wrong password for sure");
            unknownTimes.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Equal(1, counter.Count - before);
            before = counter.Count;
            watch.Restart();
            var wrong = await client.PasswordAsync(citizen.Letter.NationalId, "a wrong password for sure");
            wrongTimes.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Equal(1, counter.Count - before);
            Assert.Equal(unknown.Status, wrong.Status);
            unknownBody = Normalise(unknown.Body, unknownId);
            wrongBody = Normalise(wrong.Body, citizen.Letter.NationalId);
            Assert.Equal(unknownBody, wrongBody);
        }

        Assert.Contains("The national ID or password is wrong", wrongBody, StringComparison.Ordinal);
        // Timing is reported, not asserted (tests never fail on time): both paths did one Argon2id verification above.
        output.WriteLine($"median ms: unknown id {Median(unknownTimes):F1}, wrong password {Median(wrongTimes):F1}");
        Assert.Contains("\"reason\":\"unknown-account\"", await hub.LastAsync(unknownId, "auth.login.failed"), StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"wrong-password\"", await hub.LastAsync(citizen.Letter.NationalId, "auth.login.failed"), StringComparison.Ordinal);
    }

    private static string Normalise(string body, string nationalId) =>
        AntiforgeryValue().Replace(body, "value=\"token\"").Replace(nationalId, "NATIONAL-ID", StringComparison.Ordinal);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]+\"")]
    private static partial Regex AntiforgeryValueFull();

    private static Regex AntiforgeryValue() => AntiforgeryValueFull();

    /// <summary>Counts the hub's Argon2id verifications (its meter), real and decoy.</summary>
    private sealed class VerificationCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public VerificationCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == AuthenticationMetrics.MeterName && instrument.Name == "identityhub.authentication.password.verifications")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
