using System.Net;
using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Benchmarks;

/// <summary>
/// The same logins through <see cref="LoginFlow"/> directly, one scope and one bare HttpContext per page request as
/// the pages would have, cookies carried from one step to the next: the login's own work without HTTP, Razor Pages,
/// antiforgery or the load generator's HTML handling.
/// </summary>
internal sealed class InProcessLogins(IServiceProvider services)
{
    private readonly LevelOfAssurance _target = services.GetRequiredService<AssurancePolicy>().DefaultLevel;

    /// <summary>Password (POST /login), the pending step (GET /login/verify), the TOTP code (POST /login/verify).</summary>
    public async Task PasswordAndTotpAsync(BenchCitizen citizen, string code) => await SecondStepAsync(await PasswordStepAsync(citizen), code);

    /// <summary>The password step alone; returns the cookies it left (the login state).</summary>
    public Task<string> PasswordStepAsync(BenchCitizen citizen) => StepAsync("", async (flow, http) =>
        Expect(await flow.PasswordAsync(http, SessionAudiences.Citizen, citizen.NationalId, LoginCitizens.Password, _target, null, CancellationToken.None), LoginStatus.NeedsMore));

    /// <summary>What follows the password: the pending step, then the TOTP code.</summary>
    public async Task SecondStepAsync(string cookies, string code)
    {
        await StepAsync(cookies, async (flow, http) =>
        {
            if (await flow.PendingAsync(http, CancellationToken.None) is null)
            {
                throw new InvalidOperationException("in process: no login pending after the password");
            }
        });
        await StepAsync(cookies, async (flow, http) => Expect(await flow.TotpAsync(http, code, CancellationToken.None), LoginStatus.Complete));
    }

    /// <summary>Passkey options (POST ?handler=PasskeyOptions), then the assertion (POST ?handler=Passkey).</summary>
    public async Task PasskeyAsync(SoftwareAuthenticator authenticator)
    {
        Authentication.Passkeys.PasskeyChallenge? challenge = null;
        await StepAsync("", async (flow, http) => challenge = await flow.BeginPasskeyAsync(http, passkeyFirst: true, CancellationToken.None));
        var credential = authenticator.Assert(challenge!.OptionsJson);
        await StepAsync("", async (flow, http) =>
            Expect(await flow.PasskeyAsync(http, SessionAudiences.Citizen, passkeyFirst: true, challenge.ChallengeId, credential, _target, null, CancellationToken.None), LoginStatus.Complete));
    }

    /// <summary>One page request's worth: its own scope and HttpContext with the cookies so far; returns them with the ones it set.</summary>
    private async Task<string> StepAsync(string cookies, Func<LoginFlow, HttpContext, Task> step)
    {
        await using var scope = services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("localhost");
        http.Connection.RemoteIpAddress = IPAddress.Loopback;
        http.Request.Headers.Cookie = cookies;
        await step(scope.ServiceProvider.GetRequiredService<LoginFlow>(), http);
        // A browser's jar: what the response set replaces the cookie of that name; an empty value (a deletion) removes it.
        var jar = cookies.Split("; ", StringSplitOptions.RemoveEmptyEntries).ToDictionary(c => c[..c.IndexOf('=', StringComparison.Ordinal)], StringComparer.Ordinal);
        foreach (var header in http.Response.Headers.SetCookie)
        {
            var pair = header![..header!.IndexOf(';', StringComparison.Ordinal)];
            var name = pair[..pair.IndexOf('=', StringComparison.Ordinal)];
            jar.Remove(name);
            if (pair.Length > name.Length + 1)
            {
                jar[name] = pair;
            }
        }

        return string.Join("; ", jar.Values);
    }

    private static void Expect(LoginOutcome outcome, LoginStatus status)
    {
        if (outcome.Status != status)
        {
            throw new InvalidOperationException($"in process: expected {status}, got {outcome.Status} {outcome.Error}");
        }
    }
}
