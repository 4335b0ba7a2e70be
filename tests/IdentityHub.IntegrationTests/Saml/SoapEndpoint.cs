using System.Net;
using System.Text;
using IdentityHub.IntegrationTests.Infrastructure;

namespace IdentityHub.IntegrationTests.Saml;

/// <summary>
/// An SP's SOAP SingleLogoutService in miniature: it records each POST (content type, SOAPAction, body) and answers
/// with what its handler makes of the body (an HTTP status and a text/xml body).
/// </summary>
internal sealed class SoapEndpoint(Func<string, Task<(int Status, string Body)>> answer) : LoopbackEndpoint<SoapEndpoint.Received>("/saml/soap-slo")
{
    public sealed record Received(string Method, string? ContentType, string? SoapAction, string Body, int AnsweredWith, string Answer);

    protected override async Task<Received> HandleAsync(HttpListenerContext context, string body)
    {
        (int Status, string Body) answered;
        try
        {
            answered = await answer(body);
        }
        catch (Exception ex)
        {
            answered = (500, "handler failed: " + ex.Message);
        }

        context.Response.StatusCode = answered.Status;
        context.Response.ContentType = "text/xml; charset=utf-8";
        await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(answered.Body));
        return new Received(context.Request.HttpMethod, context.Request.ContentType, context.Request.Headers["SOAPAction"], body, answered.Status, answered.Body);
    }
}
