using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using OtpNet;

namespace IdentityHub.Authentication.Totp;

/// <summary>
/// Identity's authenticator-app provider, with what RFC 6238 §5.2 asks and Identity's own provider leaves out: a code
/// is accepted once. TOTP with SHA-1, 6 digits, 30-second steps (§4, what authenticator apps implement), one step of
/// clock drift either way; the last accepted time step is stored per account (an Identity user token), and a code for
/// that step or an earlier one is refused. Saving the step goes through the account's concurrency stamp, so two sign-ins
/// racing with the same code cannot both succeed.
/// </summary>
public sealed class ReplayProtectedTotpProvider(TimeProvider time) : IUserTwoFactorTokenProvider<HubAccount>
{
    public const string ProviderName = "IdentityHubTotp";
    internal const string LoginProvider = "[IdentityHub]";
    internal const string LastStepToken = "totp-last-step";
    private const int StepSeconds = 30;
    private const int Digits = 6;

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<HubAccount> manager, HubAccount user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        return !string.IsNullOrEmpty(await manager.GetAuthenticatorKeyAsync(user));
    }

    /// <summary>The citizen's app generates the codes; the hub never sends one.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<HubAccount> manager, HubAccount user) => Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<HubAccount> manager, HubAccount user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        var key = await manager.GetAuthenticatorKeyAsync(user);
        var code = (token ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        if (string.IsNullOrEmpty(key) || code.Length != Digits || !code.All(char.IsAsciiDigit))
        {
            return false;
        }

        var totp = new OtpNet.Totp(Base32Encoding.ToBytes(key), StepSeconds, OtpHashMode.Sha1, Digits);
        if (!totp.VerifyTotp(time.GetUtcNow().UtcDateTime, code, out var step, new VerificationWindow(previous: 1, future: 1)))
        {
            return false;
        }

        var last = await manager.GetAuthenticationTokenAsync(user, LoginProvider, LastStepToken);
        if (long.TryParse(last, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var lastStep) && step <= lastStep)
        {
            return false; // replayed, or older than a code already used
        }

        var saved = await manager.SetAuthenticationTokenAsync(user, LoginProvider, LastStepToken, step.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return saved.Succeeded;
    }
}
