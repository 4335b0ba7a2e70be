using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace IdentityHub.Authentication.Sessions;

/// <summary>
/// A short-lived cookie whose value is protected and time-limited with the Data Protection key ring (in PostgreSQL,
/// so every node reads what another wrote): HttpOnly, Secure over HTTPS, for state between the steps of a flow.
/// </summary>
internal sealed class ProtectedCookie(string name, string purpose, TimeSpan lifetime, string path, SameSiteMode sameSite)
{
    public string? Read(HttpContext http, IDataProtectionProvider protection, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!http.Request.Cookies.TryGetValue(name, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            var text = Protector(protection).Unprotect(value, out var expiration);
            return expiration > time.GetUtcNow() ? text : null;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return null;
        }
    }

    public void Write(HttpContext http, IDataProtectionProvider protection, TimeProvider time, string text)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Cookies.Append(name, Protector(protection).Protect(text, time.GetUtcNow() + lifetime), Options(http));
    }

    public void Clear(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Cookies.Delete(name, Options(http));
    }

    private ITimeLimitedDataProtector Protector(IDataProtectionProvider protection) => protection.CreateProtector(purpose).ToTimeLimitedDataProtector();

    private CookieOptions Options(HttpContext http) => new()
    {
        Path = path,
        HttpOnly = true,
        IsEssential = true,
        SameSite = sameSite,
        Secure = http.Request.IsHttps,
        MaxAge = lifetime,
    };
}
