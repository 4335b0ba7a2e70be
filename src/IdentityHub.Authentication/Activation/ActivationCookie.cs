using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace IdentityHub.Authentication.Activation;

/// <summary>
/// Between the code and the password pages of an activation: the account whose code was accepted, in a protected
/// cookie that lasts 30 minutes (any node can read it: the Data Protection keys are in PostgreSQL).
/// </summary>
public sealed class ActivationCookie(IDataProtectionProvider protection, TimeProvider time)
{
    public const string Name = "hub.activation";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private ITimeLimitedDataProtector Protector => protection.CreateProtector("IdentityHub.Activation.v1").ToTimeLimitedDataProtector();

    public Guid? Read(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!http.Request.Cookies.TryGetValue(Name, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            var text = Protector.Unprotect(value, out var expiration);
            return expiration > time.GetUtcNow() && Guid.TryParse(text, out var id) ? id : null;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return null;
        }
    }

    public void Write(HttpContext http, Guid accountId)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Cookies.Append(Name, Protector.Protect(accountId.ToString(), time.GetUtcNow() + Lifetime), Options(http));
    }

    public static void Clear(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Cookies.Delete(Name, Options(http));
    }

    private static CookieOptions Options(HttpContext http) => new()
    {
        Path = "/activate",
        HttpOnly = true,
        IsEssential = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        MaxAge = Lifetime,
    };
}
