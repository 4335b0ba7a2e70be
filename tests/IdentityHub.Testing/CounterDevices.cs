using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityHub.Authentication.Staff;
using IdentityHub.Authentication.Totp;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Enrolment.Http;
using IdentityHub.Enrolment.Registry;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace IdentityHub.Testing;

/// <summary>A staff member with their own password and a TOTP app, as they would sign in on a counter device.</summary>
public sealed class CounterStaff(string userName, string password, byte[] totpSecret, long lastUsedStep)
{
    private long _lastStep = lastUsedStep;

    public string UserName { get; } = userName;

    public string Password { get; } = password;

    /// <summary>The code of the current step, or of a later one when that was used (each step is accepted once).</summary>
    public string NextCode()
    {
        var step = (long)(DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds / 30;
        _lastStep = Math.Max(step - 1, _lastStep + 1);
        return new OtpNet.Totp(totpSecret).ComputeTotp(DateTime.UnixEpoch.AddSeconds(_lastStep * 30));
    }
}

/// <summary>
/// A counter device of the enrolment API: its API credential (bound to a service point) and the officer sessions made on
/// it, over real HTTP, exactly as docs/enrolment-api.md tells a device to work.
/// </summary>
public sealed class CounterDeviceClient(HttpClient http, string token, string servicePoint, string name)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public string Token { get; } = token;

    public string ServicePoint { get; } = servicePoint;

    public string Name { get; } = name;

    /// <summary>Opens the service point if needed and issues a device credential bound to it.</summary>
    public static Task<CounterDeviceClient> IssueAsync(HubFixture hub, string servicePoint, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(hub);
        return IssueAsync(hub.App.Services, hub.Http, servicePoint, name);
    }

    public static async Task<CounterDeviceClient> IssueAsync(IServiceProvider services, HttpClient http, string servicePoint, string? name = null)
    {
        name ??= "counter-" + Guid.NewGuid().ToString("N")[..8];
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ServicePoints>().AddAsync(servicePoint, "Test counter " + servicePoint, "tests", CancellationToken.None);
        var issued = await scope.ServiceProvider.GetRequiredService<ApiCredentials>().IssueAsync(servicePoint, name, TimeSpan.FromDays(1), "tests", CancellationToken.None);
        return new CounterDeviceClient(http, issued.Token, servicePoint, name);
    }

    /// <summary>A request from this device: its credential, and the officer session when one is given.</summary>
    public HttpRequestMessage Request(HttpMethod method, string path, object? body = null, string? session = null, string? key = null)
    {
        var request = new HttpRequestMessage(method, EnrolmentEndpoints.BasePath + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        if (session is not null)
        {
            request.Headers.Add(OfficerSessionEndpoints.SessionHeader, session);
        }

        if (key is not null)
        {
            request.Headers.Add(EnrolmentEndpoints.IdempotencyHeader, key);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Web);
        }

        return request;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, string? session = null, string? key = null)
    {
        using var request = Request(method, path, body, session, key);
        return await http.SendAsync(request);
    }

    /// <summary>The officer's password, then a TOTP code: returns the officer session token (fails the test otherwise).</summary>
    public async Task<string> SignInAsync(CounterStaff officer)
    {
        ArgumentNullException.ThrowIfNull(officer);
        var started = await SendAsync(HttpMethod.Post, "/officer-sessions", new { userName = officer.UserName, password = officer.Password });
        var body = await started.Content.ReadAsStringAsync();
        if (started.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"officer sign-in of {officer.UserName} answered {(int)started.StatusCode}: {body}");
        }

        var session = (string)JsonNode.Parse(body)!["sessionToken"]!;
        var totp = await SendAsync(HttpMethod.Post, "/officer-sessions/current/totp", new { code = officer.NextCode() }, session);
        if (totp.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"officer TOTP of {officer.UserName} answered {(int)totp.StatusCode}: {await totp.Content.ReadAsStringAsync()}");
        }

        return session;
    }
}

public static class CounterStaffOnHub
{
    public const string StaffPassword = "counter staff choose long phrases";

    /// <summary>
    /// A staff account as it is after its first console sign-in: its own password, a TOTP app, and the service points
    /// it is assigned to (opened if needed).
    /// </summary>
    public static Task<CounterStaff> CreateCounterStaffAsync(this HubFixture hub, string userName, string role, params string[] servicePoints)
    {
        ArgumentNullException.ThrowIfNull(hub);
        return hub.App.Services.CreateCounterStaffAsync(userName, role, servicePoints);
    }

    public static async Task<CounterStaff> CreateCounterStaffAsync(this IServiceProvider root, string userName, string role, params string[] servicePoints)
    {
        ArgumentNullException.ThrowIfNull(servicePoints);
        await using var scope = root.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var created = await services.GetRequiredService<StaffAccounts>().CreateAsync(userName, userName + " (test)", role, "tests", CancellationToken.None);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("creating a test staff account failed: " + created.Error);
        }

        var users = services.GetRequiredService<UserManager<HubAccount>>();
        var account = (await users.FindByNameAsync(userName))!;
        Check(await users.ChangePasswordAsync(account, created.OneTimePassword!, StaffPassword));
        await services.GetRequiredService<HubDbContext>().Users.Where(u => u.Id == account.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.MustChangePassword, false));

        var totp = services.GetRequiredService<TotpAuthenticators>();
        var enrolment = totp.Begin(account);
        var secret = Base32Encoding.ToBytes(enrolment.Secret);
        var step = ((long)(DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds / 30) - 1;
        var code = new OtpNet.Totp(secret).ComputeTotp(DateTime.UnixEpoch.AddSeconds(step * 30));
        _ = await totp.ConfirmAsync(account, enrolment, "Phone", code, CancellationToken.None)
            ?? throw new InvalidOperationException("the test TOTP app was not accepted");

        foreach (var point in servicePoints)
        {
            await services.GetRequiredService<ServicePoints>().AddAsync(point, "Test counter " + point, "tests", CancellationToken.None);
            if (await services.GetRequiredService<StaffServicePoints>().AssignAsync(userName, point, "tests", CancellationToken.None) is { } error)
            {
                throw new InvalidOperationException(error);
            }
        }

        return new CounterStaff(userName, StaffPassword, secret, step);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
