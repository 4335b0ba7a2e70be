using System.Security.Cryptography;
using System.Text.Json;
using IdentityHub.Authentication.Assurance;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace IdentityHub.Authentication.Login;

/// <summary>
/// A login (or step-up) under way: whose, for which audience, what was proved so far, the level it must reach and where
/// to go after. Kept in a protected, time-limited cookie (Data Protection keys are in PostgreSQL), so the next step
/// can land on any node.
/// </summary>
/// <param name="SessionId">Set for a step-up: the session that gets the new authentications.</param>
/// <param name="Steps">The methods that would move the login on, worked out when the state was written (the page offers them).</param>
public sealed record LoginState(
    string Audience,
    Guid AccountId,
    IReadOnlyList<AuthenticationRecord> Authentications,
    LevelOfAssurance Target,
    string? ReturnUrl,
    Guid? SessionId = null,
    IReadOnlyList<string>? Steps = null);

/// <summary>The cookie that carries <see cref="LoginState"/> between the steps of a login (10 minutes).</summary>
public sealed class LoginStateCookie(IDataProtectionProvider protection, TimeProvider time)
{
    public const string Name = "hub.login";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private ITimeLimitedDataProtector Protector => protection.CreateProtector("IdentityHub.Login.State.v1").ToTimeLimitedDataProtector();

    public LoginState? Read(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!http.Request.Cookies.TryGetValue(Name, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            var json = Protector.Unprotect(value, out var expiration);
            return expiration > time.GetUtcNow() ? JsonSerializer.Deserialize<LoginState>(json, Json) : null;
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    public void Write(HttpContext http, LoginState state)
    {
        ArgumentNullException.ThrowIfNull(http);
        var value = Protector.Protect(JsonSerializer.Serialize(state, Json), time.GetUtcNow() + Lifetime);
        http.Response.Cookies.Append(Name, value, Options(http));
    }

    public static void Clear(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Cookies.Delete(Name, Options(http));
    }

    private static CookieOptions Options(HttpContext http) => new()
    {
        Path = "/",
        HttpOnly = true,
        IsEssential = true,
        SameSite = SameSiteMode.Lax,
        Secure = http.Request.IsHttps,
        MaxAge = Lifetime,
    };
}
