using System.Text;
using IdentityHub.Saml.Metadata;
using IdentityHub.Saml.Signing;
using IdentityHub.Saml.Slo;
using IdentityHub.Saml.Sso;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace IdentityHub.Saml.Http;

/// <summary>The IdP's HTTP surface: signed metadata, the SSO endpoint (HTTP-Redirect and HTTP-POST) and its continue step, the SLO endpoint and its continue step.</summary>
internal static class SamlEndpoints
{
    public const string MetadataPath = "/saml/metadata";
    public const string MetadataContentType = "application/samlmetadata+xml";

    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(MetadataPath, MetadataAsync).ExcludeFromDescription();
        endpoints.MapMethods(SamlSignIn.SsoPath, [HttpMethods.Get, HttpMethods.Post], async (HttpContext http, SamlSignIn sso, CancellationToken ct) =>
            Answer(await sso.ReceiveAsync(http, ct))).DisableAntiforgery().ExcludeFromDescription();
        endpoints.MapGet(SamlSignIn.ContinuePath + "{id:guid}", async (Guid id, HttpContext http, SamlSignIn sso, CancellationToken ct) =>
            Answer(await sso.ContinueAsync(http, id, ct))).ExcludeFromDescription();
        endpoints.MapMethods(SingleLogout.SloPath, [HttpMethods.Get, HttpMethods.Post], async (HttpContext http, LogoutReceiver slo, CancellationToken ct) =>
            Answer(await slo.ReceiveAsync(http, ct))).DisableAntiforgery().ExcludeFromDescription();
        endpoints.MapGet(SingleLogout.ContinuePath + "{id:guid}", async (Guid id, HttpContext http, LogoutChain chain, CancellationToken ct) =>
            Answer(await chain.ContinueAsync(http, id, ct))).ExcludeFromDescription();
        endpoints.MapGet(UnsolicitedSignIn.Path, async (HttpContext http, UnsolicitedSignIn sso, CancellationToken ct) => Answer(await sso.StartAsync(http, ct))).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> MetadataAsync(HttpContext http, SamlKeyRing keys, SamlAnswers answers, TimeProvider time, IOptions<SamlOptions> options, CancellationToken ct)
    {
        var key = await keys.CurrentAsync(ct);
        var settings = options.Value;
        var root = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        var document = IdpMetadataBuilder.Build(new IdpMetadataContent(
            answers.EntityId(http), root + SamlSignIn.SsoPath, SloUrl: root + SingleLogout.SloPath, key.Certificate, null, WantAuthnRequestsSigned: true,
            time.GetUtcNow() + settings.MetadataValidity, settings.MetadataCacheDuration, "IdentityHub", root, null));
        SamlXmlSigner.Sign(document.DocumentElement!, key.Key, key.Certificate);
        return Results.Text(document.OuterXml, MetadataContentType, Encoding.UTF8);
    }

    private static IResult Answer(SsoOutcome outcome)
    {
        if (outcome.RedirectTo is { } location)
        {
            return Results.Redirect(location);
        }

        // The answer page holds a bearer assertion: never cached (saml-bindings §3.5.5.1).
        return new HtmlAnswer(outcome.Html!, outcome.StatusCode);
    }

    private sealed class HtmlAnswer(string html, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.Headers.CacheControl = "no-cache, no-store";
            httpContext.Response.Headers.Pragma = "no-cache";
            httpContext.Response.ContentType = "text/html; charset=utf-8";
            return httpContext.Response.WriteAsync(html, httpContext.RequestAborted);
        }
    }
}
