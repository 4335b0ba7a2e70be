using IdentityHub.Authentication.Sessions;
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
    private static readonly ProtectedCookie Cookie = new(Name, "IdentityHub.Activation.v1", Lifetime, "/activate", SameSiteMode.Strict);

    public Guid? Read(HttpContext http) => Guid.TryParse(Cookie.Read(http, protection, time), out var id) ? id : null;

    public void Write(HttpContext http, Guid accountId) => Cookie.Write(http, protection, time, accountId.ToString());

    public static void Clear(HttpContext http) => Cookie.Clear(http);
}
