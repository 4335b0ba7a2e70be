using IdentityHub.Authentication.Staff;

namespace IdentityHub.Server.OfficerConsole;

/// <summary>The officer console: Razor Pages under /console, closed to anyone who is not signed-in staff.</summary>
internal static class ConsoleServiceCollectionExtensions
{
    public static IServiceCollection AddIdentityHubConsole(this IServiceCollection services)
    {
        services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeFolder("/Console", StaffPolicies.Staff);
            options.Conventions.AllowAnonymousToPage("/Console/SignIn");
            options.Conventions.AllowAnonymousToPage("/Console/AccessDenied");
            options.Conventions.AuthorizeFolder("/Console/Staff", StaffPolicies.Admin);
            options.Conventions.AuthorizeFolder("/Console/Audit", StaffPolicies.Auditor);
            options.Conventions.AuthorizeFolder("/Console/Enrolments", StaffPolicies.Officer);
            options.Conventions.AuthorizeFolder("/Console/Eids", StaffPolicies.Officer);
        }).AddMvcOptions(options => options.Filters.Add<MustChangePasswordFilter>());
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "hub.antiforgery";
            options.Cookie.Path = "/console";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return services;
    }
}
