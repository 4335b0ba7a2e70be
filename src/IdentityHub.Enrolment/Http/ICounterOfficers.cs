using Microsoft.AspNetCore.Http;

namespace IdentityHub.Enrolment.Http;

/// <summary>A counter device, as its API credential says: which desk, never who sits there.</summary>
public sealed record CounterDeviceInfo(Guid CredentialId, string Name, string ServicePoint);

/// <summary>The officer signed in on a device.</summary>
public sealed record OfficerSessionInfo(string UserName, IReadOnlyList<string> Roles, string ServicePoint, string Level, DateTimeOffset ExpiresAt);

/// <summary>
/// One step of an officer's sign-in on a device. <see cref="Status"/> is "second_factor_required" (with the token, which
/// then opens only the second-factor step), "signed_in" (with the officer) or "refused" (with a stable error code).
/// </summary>
public sealed record OfficerSignInStep(string Status, string? Error = null, string? Token = null, IReadOnlyList<string>? Methods = null, OfficerSessionInfo? Officer = null);

/// <summary>
/// The hub's login for officers at a counter device (implemented over the Authentication library by the host): the
/// enrolment API accepts only the short-lived officer session it makes, bound to the device that made it.
/// </summary>
public interface ICounterOfficers
{
    Task<OfficerSignInStep> PasswordAsync(CounterDeviceInfo device, string userName, string password, HttpContext http, CancellationToken ct);

    Task<OfficerSignInStep> TotpAsync(CounterDeviceInfo device, string token, string code, CancellationToken ct);

    /// <returns>The WebAuthn request options (JSON) and their challenge id, or an error code.</returns>
    Task<(Guid ChallengeId, string? OptionsJson, string? Error)> PasskeyOptionsAsync(CounterDeviceInfo device, string token, HttpContext http, CancellationToken ct);

    Task<OfficerSignInStep> PasskeyAsync(CounterDeviceInfo device, string token, Guid challengeId, string credentialJson, HttpContext http, CancellationToken ct);

    /// <summary>The actor a complete officer session made on this device stands for, or an error code.</summary>
    Task<(StaffActor? Actor, OfficerSessionInfo? Session, string? Error)> ResolveAsync(CounterDeviceInfo device, string token, CancellationToken ct);

    Task<bool> SignOutAsync(CounterDeviceInfo device, string token, CancellationToken ct);
}
