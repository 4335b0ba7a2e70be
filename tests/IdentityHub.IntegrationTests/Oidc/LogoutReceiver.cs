using System.Collections.Concurrent;
using System.Net;
using IdentityHub.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityHub.IntegrationTests.Oidc;

/// <summary>
/// An agency's back-channel logout endpoint in miniature: it records each POST (content type and the logout_token form
/// field) and answers the statuses it was given in turn, then 200.
/// </summary>
internal sealed class LogoutReceiver(params int[] answers) : LoopbackEndpoint<LogoutReceiver.Received>("/backchannel-logout")
{
    private readonly ConcurrentQueue<int> _answers = new(answers);

    public sealed record Received(string Method, string? ContentType, string? LogoutToken, int AnsweredWith);

    public string Uri => Url;

    protected override Task<Received> HandleAsync(HttpListenerContext context, string body)
    {
        var form = QueryHelpers.ParseQuery(body);
        var status = _answers.TryDequeue(out var next) ? next : 200;
        context.Response.StatusCode = status;
        context.Response.Headers["Cache-Control"] = "no-store";
        return Task.FromResult(new Received(context.Request.HttpMethod, context.Request.ContentType,
            form.TryGetValue("logout_token", out var token) ? token.ToString() : null, status));
    }
}
