using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityHub.IntegrationTests.Oidc;

/// <summary>
/// An agency's back-channel logout endpoint in miniature: an HTTP listener on a free loopback port that records each
/// POST (content type and the logout_token form field) and answers the statuses it was given in turn, then 200.
/// </summary>
internal sealed class LogoutReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<int> _answers;
    private readonly Task _loop;

    public sealed record Received(string Method, string? ContentType, string? LogoutToken, int AnsweredWith);

    public LogoutReceiver(params int[] answers)
    {
        _answers = new ConcurrentQueue<int>(answers);
        var port = FreePort();
        Uri = $"http://127.0.0.1:{port}/backchannel-logout";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Uri { get; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Waits until <paramref name="count"/> requests came in (at most 30 s), and returns them.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(int count)
    {
        for (var waited = 0; Requests.Count < count && waited < 300; waited++)
        {
            await Task.Delay(100);
        }

        Assert.True(Requests.Count >= count, $"{Uri} received {Requests.Count} requests, expected {count}");
        return [.. Requests];
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var form = QueryHelpers.ParseQuery(body);
            var status = _answers.TryDequeue(out var next) ? next : 200;
            Requests.Enqueue(new Received(context.Request.HttpMethod, context.Request.ContentType,
                form.TryGetValue("logout_token", out var token) ? token.ToString() : null, status));
            context.Response.StatusCode = status;
            context.Response.Headers["Cache-Control"] = "no-store";
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
