using IdentityHub.Authentication;
using IdentityHub.Data;
using IdentityHub.Enrolment;
using IdentityHub.Enrolment.Http;
using IdentityHub.Hsm;
using IdentityHub.Hsm.DataProtection;
using IdentityHub.Oidc;
using IdentityHub.Pki;
using IdentityHub.Server.OfficerConsole;
using IdentityHub.Saml;
using IdentityHub.Signing;
using Microsoft.AspNetCore.DataProtection;

namespace IdentityHub.Server.Hosting;

/// <summary>The composition root: every library adds its services and maps its endpoints here.</summary>
public static class HubServer
{
    /// <param name="args">Command-line arguments (configuration overrides).</param>
    /// <param name="configure">Lets tests and benchmarks adjust the builder (URLs, configuration) before it is built.</param>
    /// <param name="environmentName">
    /// The host environment; null takes DOTNET_ENVIRONMENT / ASPNETCORE_ENVIRONMENT (Production when unset). Tests and
    /// benchmarks, whose hubs listen on loopback addresses, pass Development (example values are then only a warning).
    /// </param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, string? environmentName = null)
    {
        // Content root is the application directory, so appsettings.json is found wherever the hub is started from.
        // ApplicationName: Razor Pages are found in this assembly even when a test host is the entry assembly.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
            ApplicationName = typeof(HubServer).Assembly.GetName().Name,
            EnvironmentName = environmentName,
        });
        configure?.Invoke(builder);

        builder.AddIdentityHubObservability();
        builder.Services.AddIdentityHubProxyAndHost(builder.Configuration, builder.Environment);
        builder.Services.AddProblemDetails();
        builder.Services
            .AddIdentityHubData(builder.Configuration)
            .AddIdentityHubHsm(builder.Configuration)
            .AddIdentityHubPki(builder.Configuration)
            .AddIdentityHubAuthentication(builder.Configuration)
            .AddIdentityHubEnrolment(builder.Configuration)
            .AddIdentityHubOidc(builder.Configuration)
            .AddIdentityHubSigning(builder.Configuration)
            .AddIdentityHubSaml(builder.Configuration)
            .AddIdentityHubConsole();
        builder.Services.AddScoped<IdentityHub.Enrolment.Http.ICounterOfficers, CounterOfficers>();
        builder.Services.AddIdentityHubOpenApi();
        // One key ring for every node, in PostgreSQL: cookies and antiforgery tokens from any node work on all. Its keys
        // are encrypted under an HSM key (decision 0012): a database read alone forges no cookie, reads no TOTP secret.
        builder.Services.AddDataProtection().SetApplicationName("IdentityHub").PersistKeysToDbContext<HubDbContext>().ProtectKeysWithHsm();
        builder.Services.AddHealthChecks().AddCheck<HsmHealthCheck>("hsm", tags: ["ready"]);

        var app = builder.Build();
        app.UseIdentityHubProxyAndHost();
        app.UseIdentityHubSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseRequestLocalization(HubLocalization.Options(app.Configuration));
        app.UseRouting();
        app.UseRateLimiter();
        app.UseIdentityHubOidcRateLimits();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapIdentityHubHealth();
        app.MapIdentityHubPki();
        app.MapIdentityHubEnrolment();
        app.MapIdentityHubOidc();
        app.MapIdentityHubSigning();
        app.MapIdentityHubSaml();
        app.MapIdentityHubOpenApi();
        app.MapRazorPages();
        app.MapGet("/", () => Results.Text(
            "IdentityHub\n\nCitizens: /login  /activate  /account\nPKI: /pki/ca/{name}.crt  /pki/crl/{name}.crl  /pki/ocsp  /pki/tsa\nHealth: /health/live  /health/ready\nOfficer console: /console\n"));
        return app;
    }

    /// <summary>Builds, checks and runs the hub; a configuration problem ends start-up with one line naming what to fix.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = Build(args);
            await StartupChecks.RunAsync(app.Services, CancellationToken.None);
        }
        catch (Exception ex) when (ex is StartupException or IdentityHub.Data.DatabaseConfigurationException)
        {
            await Console.Error.WriteLineAsync($"identityhub: cannot start: {ex.Message}");
            return 1;
        }

        await using (app)
        {
            await app.RunAsync();
        }

        return 0;
    }
}
