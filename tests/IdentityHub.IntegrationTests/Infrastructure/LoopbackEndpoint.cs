using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IdentityHub.IntegrationTests.Infrastructure;

/// <summary>
/// An agency's server-to-server endpoint in miniature: an HTTP listener on a free loopback port that hands each request
/// and its body to <see cref="HandleAsync"/>, which answers it and says what to record.
/// </summary>
internal abstract class LoopbackEndpoint<TReceived> : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    protected LoopbackEndpoint(string path)
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}{path}";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<TReceived> Requests { get; } = new();

    /// <summary>Waits until <paramref name="count"/> requests came in (at most 30 s), and returns them.</summary>
    public async Task<IReadOnlyList<TReceived>> WaitForAsync(int count)
    {
        for (var waited = 0; Requests.Count < count && waited < 300; waited++)
        {
            await Task.Delay(100);
        }

        Assert.True(Requests.Count >= count, $"{Url} received {Requests.Count} requests, expected {count}");
        return [.. Requests];
    }

    /// <summary>Answers one request (status, headers, body; the caller closes the response) and returns what to record.</summary>
    protected abstract Task<TReceived> HandleAsync(HttpListenerContext context, string body);

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
            Requests.Enqueue(await HandleAsync(context, await reader.ReadToEndAsync()));
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
