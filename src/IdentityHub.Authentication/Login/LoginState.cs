using System.Text.Json;
using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Sessions;
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
    private static readonly ProtectedCookie Cookie = new(Name, "IdentityHub.Login.State.v1", Lifetime, "/", SameSiteMode.Lax);

    public LoginState? Read(HttpContext http)
    {
        var json = Cookie.Read(http, protection, time);
        try
        {
            return json is null ? null : JsonSerializer.Deserialize<LoginState>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Write(HttpContext http, LoginState state) => Cookie.Write(http, protection, time, JsonSerializer.Serialize(state, Json));

    public static void Clear(HttpContext http) => Cookie.Clear(http);
}
