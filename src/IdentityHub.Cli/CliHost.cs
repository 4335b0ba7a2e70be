using IdentityHub.Oidc;
using IdentityHub.Saml;
using IdentityHub.Oidc.SigningKeys;
using IdentityHub.Authentication;
using IdentityHub.Data;
using IdentityHub.Enrolment;
using IdentityHub.Hsm;
using IdentityHub.Pki;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityHub.Cli;

/// <summary>The services hubctl needs, configured exactly like the server (appsettings.json, then environment variables).</summary>
internal static class CliHost
{
    public static IConfigurationRoot BuildConfiguration()
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
    }

    public static ServiceProvider BuildServices()
    {
        var configuration = BuildConfiguration();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging
            .AddConfiguration(configuration.GetSection("Hubctl:Logging"))
            .AddSimpleConsole(o => o.SingleLine = true)
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Critical));
        services.AddIdentityHubData(configuration).AddIdentityHubHsm(configuration).AddIdentityHubPki(configuration).AddIdentityHubAccounts(configuration)
            .AddIdentityHubEnrolment(configuration);
        services.AddIdentityHubOidcClients();
        services.AddIdentityHubOidcSigningKeyStore(configuration);
        services.AddIdentityHubSamlProviders();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
