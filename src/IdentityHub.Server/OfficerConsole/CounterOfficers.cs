using IdentityHub.Authentication.Staff;
using IdentityHub.Enrolment;
using IdentityHub.Enrolment.Http;

namespace IdentityHub.Server.OfficerConsole;

/// <summary>
/// The enrolment API's officer sign-in (<see cref="ICounterOfficers"/>) over the Authentication library's counter
/// sessions: the feature libraries do not reference each other, the host joins them.
/// </summary>
internal sealed class CounterOfficers(CounterSessions sessions) : ICounterOfficers
{
    public async Task<OfficerSignInStep> PasswordAsync(CounterDeviceInfo device, string userName, string password, HttpContext http, CancellationToken ct) =>
        Step(await sessions.PasswordAsync(Device(device), userName, password, http, ct));

    public async Task<OfficerSignInStep> TotpAsync(CounterDeviceInfo device, string token, string code, CancellationToken ct) =>
        Step(await sessions.TotpAsync(Device(device), token, code, ct));

    public async Task<(Guid ChallengeId, string? OptionsJson, string? Error)> PasskeyOptionsAsync(CounterDeviceInfo device, string token, HttpContext http, CancellationToken ct)
    {
        var (challenge, error) = await sessions.BeginPasskeyAsync(Device(device), token, http, ct);
        return challenge is null ? (Guid.Empty, null, error) : (challenge.ChallengeId, challenge.OptionsJson, null);
    }

    public async Task<OfficerSignInStep> PasskeyAsync(CounterDeviceInfo device, string token, Guid challengeId, string credentialJson, HttpContext http, CancellationToken ct) =>
        Step(await sessions.PasskeyAsync(Device(device), token, challengeId, credentialJson, http, ct));

    public async Task<(StaffActor? Actor, OfficerSessionInfo? Session, string? Error)> ResolveAsync(CounterDeviceInfo device, string token, CancellationToken ct)
    {
        var counter = Device(device);
        var (officer, error) = await sessions.ValidateAsync(counter, token, ct);
        if (officer is null)
        {
            return (null, null, error);
        }

        // At a counter the officer acts for that device's service point only, whatever else they are assigned to.
        var actor = new StaffActor(officer.UserName, officer.Roles, counter.Channel)
        {
            AccountId = officer.AccountId,
            ServicePoints = new HashSet<string>(StringComparer.Ordinal) { officer.ServicePoint },
        };
        return (actor, Info(officer), null);
    }

    public Task<bool> SignOutAsync(CounterDeviceInfo device, string token, CancellationToken ct) => sessions.EndAsync(Device(device), token, ct);

    private static CounterDevice Device(CounterDeviceInfo device) => new(device.CredentialId, device.Name, device.ServicePoint);

    private static OfficerSessionInfo Info(CounterOfficer officer) =>
        new(officer.UserName, [.. officer.Roles.Order(StringComparer.Ordinal)], officer.ServicePoint, officer.Level, officer.ExpiresAt);

    private static OfficerSignInStep Step(CounterSignIn step) => step.Status switch
    {
        CounterSignInStatus.SecondFactorRequired => new OfficerSignInStep("second_factor_required", Token: step.Token, Methods: step.Methods),
        CounterSignInStatus.SignedIn => new OfficerSignInStep("signed_in", Officer: Info(step.Officer!)),
        _ => new OfficerSignInStep("refused", Error: step.Error),
    };
}
