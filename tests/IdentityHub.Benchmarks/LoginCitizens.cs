using System.Collections.Concurrent;
using IdentityHub.Authentication.Totp;
using IdentityHub.Core.Identity;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Registry;
using IdentityHub.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace IdentityHub.Benchmarks;

/// <summary>A seeded citizen: an account with the shared password and its own TOTP app, on a person with an active eID.</summary>
internal sealed class BenchCitizen(string nationalId, byte[] totpSecret, long lastStep)
{
    public string NationalId { get; } = nationalId;

    public byte[] TotpSecret { get; } = totpSecret;

    /// <summary>The last TOTP step this citizen's app had accepted (RFC 6238 §5.2: each step once, never an earlier one).</summary>
    public long LastStep { get; set; } = lastStep;
}

/// <summary>
/// Hands out citizens for logins so that no TOTP step is offered twice: a citizen is taken by one client at a time and
/// uses the current step, or the next one when the current is spent (the hub accepts one step either side). When every
/// citizen has spent the next step too, there are too few of them for the rate measured: --accounts raises the count.
/// </summary>
internal sealed class CitizenPool(IEnumerable<BenchCitizen> citizens)
{
    private readonly ConcurrentQueue<BenchCitizen> _idle = new(citizens);

    public (BenchCitizen Citizen, string Code) Take()
    {
        var now = (long)(DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds / TotpAuthenticators.StepSeconds;
        for (var tries = _idle.Count; tries >= 0 && _idle.TryDequeue(out var citizen); tries--)
        {
            var step = Math.Max(now, citizen.LastStep + 1);
            if (step <= now + 1)
            {
                citizen.LastStep = step;
                return (citizen, new OtpNet.Totp(citizen.TotpSecret).ComputeTotp(DateTime.UnixEpoch.AddSeconds(step * TotpAuthenticators.StepSeconds)));
            }

            _idle.Enqueue(citizen);
        }

        throw new InvalidOperationException("every seeded citizen has used this TOTP step and the next: run with a larger --accounts");
    }

    public void Return(BenchCitizen citizen) => _idle.Enqueue(citizen);
}

/// <summary>
/// Seeds citizens through the hub's own services rather than its pages (not timed): persons with an active eID (the
/// login refuses citizens without one), Identity accounts with one Argon2id hash of the shared password made by the
/// hub's hasher, and a TOTP app each through <see cref="TotpAuthenticators"/>, confirmed with the previous step's code.
/// </summary>
internal static class LoginCitizens
{
    public const string Password = CitizenWeb.DefaultPassword;

    public static async Task<List<BenchCitizen>> SeedAsync(IServiceProvider services, string passwordHash, int count, int workers)
    {
        var now = DateTimeOffset.UtcNow;
        var accounts = new List<HubAccount>(count);
        var used = new HashSet<string>(count);
        for (var offset = 0; offset < count; offset += 500)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<HubAccount>>();
            for (var i = offset; i < Math.Min(count, offset + 500); i++)
            {
                string nationalId;
                do
                {
                    nationalId = NationalId.NewId().Value;
                }
                while (!used.Add(nationalId));

                var person = new PersonRecord
                {
                    Id = Guid.CreateVersion7(now),
                    NationalId = nationalId,
                    GivenNames = "Mari",
                    Surname = $"Login-{i}",
                    SearchName = IdentityHub.Enrolment.Registry.SearchNames.Fold($"Login-{i}", "Mari"),
                    DateOfBirth = new DateOnly(1980, 1, 1).AddDays(i % 10_000),
                    PlaceOfBirth = "Tallinn",
                    Nationality = "EST",
                    Sex = i % 2 == 0 ? "F" : "M",
                    Version = 1,
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                db.Persons.Add(person);
                db.Eids.Add(new EidRecord
                {
                    Id = Guid.CreateVersion7(now),
                    PersonId = person.Id,
                    DocumentNumber = $"BL{i:D7}",
                    Status = EidStatus.Active,
                    IssuedAt = now,
                    ExpiresAt = now.AddYears(5),
                    IssuedBy = "bench",
                    ServicePoint = "BENCH",
                    ActivatedAt = now,
                    StatusChangedAt = now,
                    StatusChangedBy = "bench",
                });
                var account = new HubAccount
                {
                    Id = Guid.CreateVersion7(now),
                    UserName = nationalId,
                    NormalizedUserName = users.NormalizeName(nationalId),
                    DisplayName = $"Mari Login-{i}",
                    Kind = AccountKind.Citizen,
                    PersonId = person.Id,
                    PasswordHash = passwordHash,
                    SecurityStamp = Base32Encoding.ToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)),
                    ConcurrencyStamp = Guid.NewGuid().ToString(),
                    LockoutEnabled = true,
                    CreatedAt = now,
                    ActivatedAt = now,
                };
                db.Users.Add(account);
                accounts.Add(account);
            }

            await db.SaveChangesAsync();
        }

        var citizens = new BenchCitizen[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                await using var scope = services.CreateAsyncScope();
                var totp = scope.ServiceProvider.GetRequiredService<TotpAuthenticators>();
                var enrolment = totp.Begin(accounts[i]);
                var secret = Base32Encoding.ToBytes(enrolment.Secret);
                TotpAuthenticatorRecord? record = null;
                for (var attempt = 0; record is null && attempt < 3; attempt++)
                {
                    // The previous step's code: confirming spends its step, and the login may use the current one.
                    record = await totp.ConfirmAsync(accounts[i], enrolment, "Bench phone", new OtpNet.Totp(secret).ComputeTotp(DateTime.UtcNow.AddSeconds(-TotpAuthenticators.StepSeconds)), CancellationToken.None);
                }

                citizens[i] = new BenchCitizen(accounts[i].UserName!, secret, record?.LastUsedStep ?? throw new InvalidOperationException("a TOTP app could not be confirmed"));
            }
        })));
        return [.. citizens];
    }

    /// <summary>
    /// Gives each citizen a passkey through the real pages, as a citizen does it: password + TOTP login, then
    /// /account/passkey (options, the authenticator's attestation "none", register).
    /// </summary>
    public static async Task RegisterPasskeysAsync(Uri baseAddress, IReadOnlyList<BenchCitizen> citizens, IReadOnlyList<SoftwareAuthenticator> authenticators)
    {
        for (var i = 0; i < citizens.Count; i++)
        {
            using var client = new HubWebClient(baseAddress);
            await LoginAsync(client, citizens[i], CodeFor(citizens[i]));
            var (challenge, options) = await client.PasskeyOptionsAsync("/account/passkey");
            CitizenWeb.Expect(await client.PostPasskeyAsync("/account/passkey", "Register", challenge, authenticators[i].Register(options),
                new Dictionary<string, string> { ["Name"] = "bench" }), "/account", "passkey registration");
        }

        string CodeFor(BenchCitizen citizen)
        {
            var now = (long)(DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds / TotpAuthenticators.StepSeconds;
            citizen.LastStep = Math.Max(now, citizen.LastStep + 1);
            return new OtpNet.Totp(citizen.TotpSecret).ComputeTotp(DateTime.UnixEpoch.AddSeconds(citizen.LastStep * TotpAuthenticators.StepSeconds));
        }
    }

    /// <summary>One password + TOTP login as a browser makes it: GET and POST /login, GET and POST /login/verify.</summary>
    public static async Task LoginAsync(HubWebClient client, BenchCitizen citizen, string code)
    {
        CitizenWeb.Expect(await client.PasswordAsync(citizen.NationalId, Password), "/login/verify", "password");
        CitizenWeb.Expect(await client.TotpAsync(code), "/account", "TOTP");
    }
}
