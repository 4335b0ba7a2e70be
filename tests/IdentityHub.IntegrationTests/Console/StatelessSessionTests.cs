using System.Net;
using System.Text.RegularExpressions;
using IdentityHub.Authentication.Staff;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Console;

/// <summary>Data Protection keys live in PostgreSQL: a console session that began on one node is valid on another.</summary>
[Collection(HubCollection.Name)]
public sealed partial class StatelessSessionTests(HubFixture hub)
{
    [Fact]
    public async Task A_console_session_and_its_antiforgery_token_from_one_node_work_on_a_second_node()
    {
        var userName = "roaming-" + Guid.NewGuid().ToString("N")[..6];
        string password;
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            password = (await scope.ServiceProvider.GetRequiredService<StaffAccounts>()
                .CreateAsync(userName, null, "officer", "tests", CancellationToken.None)).OneTimePassword!;
        }

        // One cookie jar: cookies are per host, not per port, so both nodes on 127.0.0.1 see the same cookies.
        var cookies = new CookieContainer();
        using var first = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = hub.BaseAddress };
        var page = await first.GetStringAsync(new Uri("/console/sign-in", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = password,
            ["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value,
        });
        using var signedIn = await first.PostAsync(new Uri("/console/sign-in", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        var (node, nodeClient) = await hub.StartSecondNodeAsync();
        await using (node)
        {
            using var second = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
            {
                BaseAddress = nodeClient.BaseAddress,
            };
            nodeClient.Dispose();
            using var response = await second.GetAsync(new Uri("/console/change-password", UriKind.Relative));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Change your password", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
            await node.StopAsync();
        }

        // Both nodes on one machine would also share a key ring in the user's home directory; what makes it work
        // across machines is that the ring is in PostgreSQL.
        await using var check = hub.App.Services.CreateAsyncScope();
        Assert.NotEmpty(check.ServiceProvider.GetRequiredService<IdentityHub.Data.HubDbContext>().DataProtectionKeys.ToList());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
