using IdentityHub.Authentication.Activation;
using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Passkeys;
using IdentityHub.Authentication.Recovery;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Authentication.Staff;
using IdentityHub.Authentication.Totp;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IdentityHub.Authentication;

public static class AuthenticationServiceCollectionExtensions
{
    /// <summary>
    /// The account store (ASP.NET Core Identity on HubDbContext) and <see cref="StaffAccounts"/>, without HTTP sign-in:
    /// what hubctl needs. Needs AddIdentityHubData.
    /// </summary>
    public static IServiceCollection AddIdentityHubAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(StaffAccounts)))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<Passwords.Argon2idOptions>()
            .Bind(configuration.GetSection(Passwords.Argon2idOptions.SectionName))
            .Validate(o => o.MemoryKiB >= Passwords.Argon2idOptions.MinimumMemoryKiB && o.Iterations >= Passwords.Argon2idOptions.MinimumIterations,
                $"Authentication:Argon2id must be at least MemoryKiB {Passwords.Argon2idOptions.MinimumMemoryKiB} and Iterations {Passwords.Argon2idOptions.MinimumIterations} (OWASP minimum: m = 19 MiB, t = 2, p = 1).")
            .ValidateOnStart();
        services.AddIdentityCore<HubAccount>(ConfigureIdentity)
            .AddRoles<HubRole>()
            .AddEntityFrameworkStores<HubDbContext>()
            .AddPasswordValidator<Passwords.CommonPasswordValidator>();
        services.Replace(ServiceDescriptor.Scoped<IPasswordHasher<HubAccount>, Passwords.Argon2idPasswordHasher>());
        services.TryAddScoped<StaffAccounts>();
        services.TryAddScoped<StaffServicePoints>();
        services.TryAddScoped<StaffAccountChanges>();
        services.TryAddScoped<HubSessions>();
        // One pairwise derivation for every protocol door (OIDC sub, SAML persistent NameID).
        services.TryAddSingleton(sp => new Agencies.PairwiseSubjects(new Hsm.Tokens.TokenHmac(sp.GetRequiredService<Hsm.HsmKeyStore>(), Agencies.PairwiseSubjects.KeyLabel)));
        services.TryAddSingleton<AssurancePolicy>();
        services.AddOptions<AssuranceOptions>().Bind(configuration.GetSection(AssuranceOptions.SectionName))
            .Validate(o => o.Validate() is null, "Authentication:Assurance is invalid (see docs/authentication.md).").ValidateOnStart();
        services.AddOptions<SessionOptions>().Bind(configuration.GetSection(SessionOptions.SectionName))
            .Validate(o => o.Validate() is null, "Authentication:Sessions: timeouts must be positive and TouchInterval shorter than the idle timeouts.").ValidateOnStart();
        return services;
    }

    /// <summary>
    /// Accounts plus everything a person signs in with: the citizen and console cookies over sessions in PostgreSQL,
    /// the login flow (password, TOTP, passkeys, recovery codes), activation, lock-out, levels of assurance, the staff
    /// policies and the sign-in rate limits.
    /// </summary>
    public static IServiceCollection AddIdentityHubAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddIdentityHubAccounts(configuration);
        if (services.Any(d => d.ServiceType == typeof(LoginFlow)))
        {
            return services;
        }

        services.AddOptions<PasskeyOptions>().Bind(configuration.GetSection(PasskeyOptions.SectionName))
            .Validate(o => o.Validate() is null, "Authentication:Passkeys is invalid: RelyingPartyId must be a host name and Origins its https (or localhost) origins.")
            .ValidateOnStart();
        services.AddOptions<Login.LockoutOptions>().Bind(configuration.GetSection(Login.LockoutOptions.SectionName))
            .Validate(o => o.Validate() is null, "Authentication:Lockout: MaxFailedAttempts 1-100, FirstLockout positive, LongestLockout at least FirstLockout.")
            .ValidateOnStart();
        services.AddOptions<IdentityPasskeyOptions>().Configure<IOptions<PasskeyOptions>>(ConfigurePasskeys);
        services.AddOptions<IdentityPasskeyOptions>(PasskeyHandlers.UserVerificationRequired).Configure<IOptions<PasskeyOptions>>((identity, hub) =>
        {
            ConfigurePasskeys(identity, hub);
            identity.UserVerificationRequirement = "required";
        });
        services.TryAddScoped<PasskeyHandlers>();
        services.TryAddSingleton<AttestationTrustStore>();
        services.TryAddSingleton<AttestationVerifier>();
        services.TryAddSingleton<DecoyPasswordHash>();
        services.TryAddSingleton<Passwords.PasswordHashingGate>();
        services.TryAddSingleton<LoginStateCookie>();
        services.TryAddSingleton<ActivationCookie>();
        services.TryAddScoped<WebAuthnChallenges>();
        services.TryAddScoped<PasskeyCeremonies>();
        services.TryAddScoped<TotpAuthenticators>();
        services.TryAddScoped<RecoveryCodes>();
        services.TryAddScoped<AccountLockout>();
        services.TryAddScoped<AccountMethods>();
        services.TryAddScoped<PasswordAuthenticator>();
        services.TryAddScoped<PasswordChanges>();
        services.TryAddScoped<SessionPrincipals>();
        services.TryAddScoped<LoginFlow>();
        services.TryAddScoped<CitizenActivation>();
        services.TryAddScoped<AccountRecovery>();
        services.TryAddScoped<Authenticators>();
        services.TryAddScoped<CounterSessions>();
        services.TryAddScoped<Notices.SecurityNotices>();
        services.AddHostedService<AuthenticationHousekeeping>();

        new IdentityBuilder(typeof(HubAccount), typeof(HubRole), services).AddClaimsPrincipalFactory<HubClaimsPrincipalFactory>();
        services.AddAuthentication(o =>
        {
            o.DefaultScheme = HubSchemes.Staff;
            o.DefaultSignInScheme = HubSchemes.Staff;
        })
            .AddCookie(HubSchemes.Staff)
            .AddCookie(HubSchemes.Citizen);
        services.AddSingleton<IConfigureOptions<CookieAuthenticationOptions>, ConfigureHubCookies>();
        services.AddAuthorization(o =>
        {
            StaffPolicies.Add(o);
            CitizenPolicies.Add(o);
        });
        services.AddIdentityHubSignInRateLimits(configuration);
        return services;
    }

    /// <summary>
    /// Identity's passkey handler, configured by the hub: the RP id, only the configured origins (never cross-origin),
    /// discoverable credentials, user verification preferred (the named options
    /// <see cref="PasskeyHandlers.UserVerificationRequired"/> require it, for the ceremonies whose level needs it), and
    /// direct attestation, judged by <see cref="AttestationVerifier"/>.
    /// </summary>
    private static void ConfigurePasskeys(IdentityPasskeyOptions identity, IOptions<PasskeyOptions> hub)
    {
        var options = hub.Value;
        identity.ServerDomain = options.RelyingPartyId;
        identity.ChallengeSize = 32;
        identity.AuthenticatorTimeout = options.ChallengeLifetime;
        identity.ResidentKeyRequirement = "required";
        identity.UserVerificationRequirement = "preferred";
        identity.AttestationConveyancePreference = "direct";
        identity.ValidateOrigin = context => ValueTask.FromResult(!context.CrossOrigin && options.IsAllowedOrigin(context.Origin));
        identity.VerifyAttestationStatement = context =>
        {
            var verdict = context.HttpContext.RequestServices.GetRequiredService<AttestationVerifier>().Verify(context.AttestationObject, context.ClientDataHash.Span);
            context.HttpContext.Items[PasskeyCeremonies.VerdictItem] = verdict;
            return ValueTask.FromResult(verdict.Valid);
        };
    }

    /// <summary>
    /// NIST SP 800-63B §5.1.1.2: at least 12 characters here (8 is the floor), no composition rules, no periodic change.
    /// Lock-out is the hub's own (<see cref="AccountLockout"/>, exponential back-off).
    /// </summary>
    private static void ConfigureIdentity(IdentityOptions options)
    {
        options.Password.RequiredLength = 12;
        options.Password.RequireDigit = false;
        options.Password.RequireLowercase = false;
        options.Password.RequireUppercase = false;
        options.Password.RequireNonAlphanumeric = false;
        options.Password.RequiredUniqueChars = 1;
        options.Lockout.AllowedForNewUsers = true;
        options.SignIn.RequireConfirmedAccount = false;
        options.User.RequireUniqueEmail = false;
        IdentitySchema.Configure(options);
    }
}
