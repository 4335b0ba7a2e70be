using IdentityHub.Authentication.Sessions;
using IdentityHub.Authentication.Staff;

namespace IdentityHub.Server.OfficerConsole;

/// <summary>
/// The Razor Pages: the officer console under /console (staff, second factor used, roles per folder) and the citizen
/// pages (login, activation, account), with localised texts and antiforgery on every form.
/// </summary>
internal static class ConsoleServiceCollectionExtensions
{
    public static IServiceCollection AddIdentityHubConsole(this IServiceCollection services)
    {
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.AddRazorPages(options =>
        {
            // Console pages that need a full staff session (second factor used).
            options.Conventions.AuthorizePage("/Console/Index", StaffPolicies.Staff);
            options.Conventions.AuthorizeFolder("/Console/Persons", StaffPolicies.Staff);
            options.Conventions.AuthorizeFolder("/Console/Staff", StaffPolicies.Admin);
            options.Conventions.AuthorizeFolder("/Console/Clients", StaffPolicies.Admin);
            options.Conventions.AuthorizeFolder("/Console/ServiceProviders", StaffPolicies.Admin);
            options.Conventions.AuthorizeFolder("/Console/Audit", StaffPolicies.Auditor);
            options.Conventions.AuthorizeFolder("/Console/Enrolments", StaffPolicies.Officer);
            options.Conventions.AuthorizeFolder("/Console/Eids", StaffPolicies.Registry);
            options.Conventions.AuthorizePage("/Console/Security/Index", StaffPolicies.Staff);
            options.Conventions.AuthorizePage("/Console/Security/RecoveryCodes", StaffPolicies.Staff);
            options.Conventions.AuthorizePage("/Console/Security/Rename", StaffPolicies.Staff);
            // Pages a session in set-up mode may open.
            options.Conventions.AuthorizePage("/Console/ChangePassword", StaffPolicies.Setup);
            options.Conventions.AuthorizePage("/Console/Setup", StaffPolicies.Setup);
            options.Conventions.AuthorizePage("/Console/SignOut", StaffPolicies.Setup);
            options.Conventions.AuthorizeFolder("/Console/Security", StaffPolicies.Setup);
            options.Conventions.AllowAnonymousToPage("/Console/SignIn");
            options.Conventions.AllowAnonymousToPage("/Console/Verify");
            options.Conventions.AllowAnonymousToPage("/Console/RecoveryCode");
            options.Conventions.AllowAnonymousToPage("/Console/AccessDenied");
            // Citizen pages: login and activation are open; the account pages need the citizen cookie.
            options.Conventions.AuthorizeFolder("/Citizen/Account", CitizenPolicies.Citizen);
            options.Conventions.AuthorizePage("/Citizen/SignOut", CitizenPolicies.Citizen);
            options.Conventions.AuthorizePage("/Citizen/Consent", CitizenPolicies.Citizen);
        }).AddMvcOptions(options => options.Filters.Add<SetupGateFilter>())
            .AddViewLocalization();
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "hub.antiforgery";
            options.Cookie.Path = "/";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return services;
    }
}
