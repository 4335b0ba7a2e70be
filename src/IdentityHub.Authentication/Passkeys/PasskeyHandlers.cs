using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityHub.Authentication.Passkeys;

/// <summary>
/// Identity's passkey handler, one per user-verification requirement. The handler takes the requirement from its
/// options for the whole ceremony: it writes it into the options the browser gets (WebAuthn Level 3 §5.4.6 and §5.5)
/// and, when it is "required", refuses an answer whose authenticator data lacks the UV flag (§7.1 step 14, §7.2 step
/// 17) — the only UV flag the hub can trust, because it is the one in the data the handler verified. Identity's
/// options apply to every ceremony, so the hub keeps two named sets: the default ("preferred") and
/// <see cref="UserVerificationRequired"/>.
/// </summary>
public sealed class PasskeyHandlers(UserManager<HubAccount> users, IOptionsMonitor<IdentityPasskeyOptions> options)
{
    /// <summary>The name of the Identity passkey options that require user verification.</summary>
    public const string UserVerificationRequired = "user-verification-required";

    public IPasskeyHandler<HubAccount> For(bool requireUserVerification) =>
        new PasskeyHandler<HubAccount>(users, Options.Create(options.Get(requireUserVerification ? UserVerificationRequired : Options.DefaultName)));
}
