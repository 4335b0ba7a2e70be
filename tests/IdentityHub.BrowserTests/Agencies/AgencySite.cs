using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IdentityHub.BrowserTests.Agencies;

/// <summary>
/// The agencies' web site on a loopback port: every path answers a small page, as an agency's callback page would. The
/// hub's redirects end here in the browser (Playwright's routes do not see the targets of redirects), and the test reads
/// the URL the browser arrived at and hands it to the agency's relying party.
/// </summary>
public sealed class AgencySite : IAsyncLifetime
{
    private const string Page =
        "<!doctype html><html lang=\"en\"><head><title>Agency</title></head><body><main><h1>Back at the agency</h1></main></body></html>";

    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync(Page);
        });
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Urls.Single());
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
