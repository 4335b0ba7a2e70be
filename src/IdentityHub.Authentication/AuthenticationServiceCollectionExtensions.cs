using IdentityHub.Authentication.Sessions;
using IdentityHub.Authentication.Staff;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
            .AddTokenProvider<Totp.ReplayProtectedTotpProvider>(Totp.ReplayProtectedTotpProvider.ProviderName)
            .AddPasswordValidator<Passwords.CommonPasswordValidator>();
        services.Replace(ServiceDescriptor.Scoped<IPasswordHasher<HubAccount>, Passwords.Argon2idPasswordHasher>());
        services.TryAddScoped<StaffAccounts>();
        return services;
    }

    /// <summary>
    /// Accounts plus staff sign-in for the officer console: the console cookie (see <see cref="ConsoleCookie"/>), the
    /// sign-in manager, the role policies of <see cref="StaffPolicies"/> and <see cref="StaffSignIn"/>.
    /// </summary>
    public static IServiceCollection AddIdentityHubAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddIdentityHubAccounts(configuration);
        if (services.Any(d => d.ServiceType == typeof(StaffSignIn)))
        {
            return services;
        }

        new IdentityBuilder(typeof(HubAccount), typeof(HubRole), services)
            .AddSignInManager()
            .AddClaimsPrincipalFactory<HubClaimsPrincipalFactory>();
        services.AddAuthentication(o =>
        {
            o.DefaultScheme = IdentityConstants.ApplicationScheme;
            o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
        }).AddIdentityCookies();
        services.ConfigureApplicationCookie(ConsoleCookie.Configure);
        // A disabled account's sessions end within a minute, not Identity's default 30.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddAuthorization(StaffPolicies.Add);
        services.TryAddScoped<StaffSignIn>();
        return services;
    }

    /// <summary>
    /// NIST SP 800-63B §5.1.1.2: at least 12 characters here (8 is the floor), no composition rules, no periodic change.
    /// Lockout: 5 failures lock the account for 5 minutes (throttling, §5.2.2).
    /// </summary>
    private static void ConfigureIdentity(IdentityOptions options)
    {
        options.Password.RequiredLength = 12;
        options.Password.RequireDigit = false;
        options.Password.RequireLowercase = false;
        options.Password.RequireUppercase = false;
        options.Password.RequireNonAlphanumeric = false;
        options.Password.RequiredUniqueChars = 1;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
        options.Lockout.AllowedForNewUsers = true;
        options.SignIn.RequireConfirmedAccount = false;
        options.User.RequireUniqueEmail = false;
        options.Tokens.AuthenticatorTokenProvider = Totp.ReplayProtectedTotpProvider.ProviderName;
    }
}
