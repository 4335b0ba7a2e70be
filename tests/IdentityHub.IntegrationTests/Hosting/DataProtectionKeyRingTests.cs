using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Data;
using IdentityHub.Hsm.DataProtection;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityHub.IntegrationTests.Hosting;

/// <summary>
/// Decision 0012: the Data Protection key ring in PostgreSQL is encrypted under the HSM key "data-protection-keys".
/// A database read alone (the rows of hosting.data_protection_keys) neither forges a staff cookie nor reads a TOTP secret.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class DataProtectionKeyRingTests(HubFixture hub)
{
    private const string TotpPurpose = "IdentityHub.Totp.Secret.v1";

    [Fact]
    public async Task The_key_ring_rows_hold_no_master_key_in_clear_only_the_HSM_encrypted_form()
    {
        hub.App.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("it").Protect("load the ring");

        await using var scope = hub.App.Services.CreateAsyncScope();
        var rows = scope.ServiceProvider.GetRequiredService<HubDbContext>().DataProtectionKeys.ToList();

        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            Assert.DoesNotContain("<masterKey", row.Xml, StringComparison.Ordinal);
            Assert.Contains("<hsmEncryptedKey", row.Xml, StringComparison.Ordinal);
            Assert.Contains(typeof(HsmXmlDecryptor).FullName!, row.Xml, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Without_the_HSM_the_same_rows_open_neither_a_staff_cookie_nor_a_TOTP_secret()
    {
        var totpSecret = RandomNumberGenerator.GetBytes(20);
        var protectedSecret = hub.App.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(TotpPurpose).Protect(totpSecret);
        var cookie = StaffCookieOf(hub.App.Services);

        using (var databaseOnly = FreshProvider(withHsm: false))
        {
            var provider = databaseOnly.GetRequiredService<IDataProtectionProvider>();
            Assert.ThrowsAny<CryptographicException>(() => provider.CreateProtector(TotpPurpose).Unprotect(protectedSecret));
            Assert.Null(StaffTickets(provider).Unprotect(cookie));
        }

        // The control: the same rows with the HSM decryptor open both, so the failure above is the missing token.
        using var withHsm = FreshProvider(withHsm: true);
        var hsmProvider = withHsm.GetRequiredService<IDataProtectionProvider>();
        Assert.Equal(totpSecret, hsmProvider.CreateProtector(TotpPurpose).Unprotect(protectedSecret));
        Assert.Equal("dp-officer", StaffTickets(hsmProvider).Unprotect(cookie)?.Principal.Identity?.Name);
    }

    [Fact]
    public async Task A_second_node_reads_the_first_nodes_staff_cookie_and_TOTP_secrets()
    {
        var totpSecret = RandomNumberGenerator.GetBytes(20);
        var protectedSecret = hub.App.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(TotpPurpose).Protect(totpSecret);
        var cookie = StaffCookieOf(hub.App.Services);

        var (node, client) = await hub.StartSecondNodeAsync();
        client.Dispose();
        await using (node)
        {
            var provider = node.Services.GetRequiredService<IDataProtectionProvider>();
            Assert.Equal(totpSecret, provider.CreateProtector(TotpPurpose).Unprotect(protectedSecret));
            var options = node.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(HubSchemes.Staff);
            Assert.Equal("dp-officer", options.TicketDataFormat.Unprotect(cookie)?.Principal.Identity?.Name);
            await node.StopAsync();
        }
    }

    /// <summary>A staff cookie value as the hub writes it (the cookie handler's ticket format).</summary>
    private static string StaffCookieOf(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(HubSchemes.Staff);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "dp-officer")], HubSchemes.Staff));
        return options.TicketDataFormat.Protect(new AuthenticationTicket(principal, HubSchemes.Staff));
    }

    /// <summary>The cookie handler's ticket format over another provider (its purposes, as ASP.NET Core sets them).</summary>
    private static TicketDataFormat StaffTickets(IDataProtectionProvider provider) =>
        new(provider.CreateProtector("Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware", HubSchemes.Staff, "v2"));

    /// <summary>A Data Protection provider on the hub's rows, never generating keys of its own; with or without the HSM.</summary>
    private ServiceProvider FreshProvider(bool withHsm)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Hub"] = hub.ConnectionString })
            .Build();
        var services = new ServiceCollection().AddLogging().AddIdentityHubData(configuration);
        var builder = services.AddDataProtection().SetApplicationName("IdentityHub").PersistKeysToDbContext<HubDbContext>().DisableAutomaticKeyGeneration();
        if (withHsm)
        {
            // The hub's own cipher (its token session): one PKCS#11 login per test process.
            services.AddSingleton(hub.App.Services.GetRequiredService<DataProtectionKeyCipher>());
            builder.ProtectKeysWithHsm();
        }

        return services.BuildServiceProvider();
    }
}
