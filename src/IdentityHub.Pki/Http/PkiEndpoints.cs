using IdentityHub.Pki.Authorities;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Pki;

/// <summary>
/// The PKI's public HTTP surface: CA certificates (AIA caIssuers), CRLs, OCSP (RFC 6960 Appendix A: GET and POST)
/// and the RFC 3161 TSA (HTTP transport, RFC 3161 §3.4). These are public by design: relying parties fetch them without credentials.
/// OCSP and the TSA sign every answer in the HSM, so they are rate-limited per client address (<see cref="PkiRateLimits"/>).
/// </summary>
public static class PkiEndpoints
{
    /// <summary>Requests larger than this are answered as malformed; a real OCSP or TSA request is a few hundred bytes.</summary>
    private const int MaxRequestBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapIdentityHubPki(this IEndpointRouteBuilder endpoints)
    {
        var pki = endpoints.MapGroup("/pki").WithTags("PKI");

        pki.MapGet("/ca/{name}.crt", async (string name, PkiKeyring keyring, CancellationToken ct) =>
        {
            var snapshot = await keyring.GetAsync(ct);
            return snapshot.Authorities.TryGetValue(name, out var ca)
                ? Results.Bytes(ca.Certificate.GetEncoded(), "application/pkix-cert")
                : NotFound($"There is no CA named '{name}'.");
        });

        pki.MapGet("/crl/{name}.crl", async (string name, CrlService crls, CancellationToken ct) =>
        {
            var crl = await crls.GetCurrentAsync(name, ct);
            return crl is null ? NotFound($"There is no CA named '{name}'.") : Results.Bytes(crl, "application/pkix-crl");
        });

        pki.MapPost("/ocsp", async (HttpRequest request, OcspResponder responder, CancellationToken ct) =>
            OcspReply(await responder.RespondAsync(await ReadBodyAsync(request, ct), ct)))
            .RequireRateLimiting(PkiRateLimits.Ocsp);

        // GET {url}/{url-encoding of base-64 encoding of the DER OCSPRequest}; base64 may contain '/', hence the catch-all.
        pki.MapGet("/ocsp/{**encoded}", async (HttpRequest request, OcspResponder responder, CancellationToken ct) =>
            OcspReply(await responder.RespondAsync(DecodeGetRequest(request), ct)))
            .RequireRateLimiting(PkiRateLimits.Ocsp);

        pki.MapPost("/tsa", async (HttpRequest request, TimeStampAuthority tsa, CancellationToken ct) =>
            Results.Bytes(await tsa.RespondAsync(await ReadBodyAsync(request, ct), ct), "application/timestamp-reply"))
            .RequireRateLimiting(PkiRateLimits.Tsa);

        return endpoints;
    }

    private static IResult OcspReply(byte[] response)
    {
        return Results.Bytes(response, "application/ocsp-response");
    }

    private static IResult NotFound(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>Reads at most <see cref="MaxRequestBytes"/>; a larger body becomes an empty (hence malformed) request.</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxRequestBytes)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxRequestBytes)
            {
                return ReadOnlyMemory<byte>.Empty;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ReadOnlyMemory<byte> DecodeGetRequest(HttpRequest request)
    {
        var raw = request.Path.Value ?? string.Empty;
        var marker = raw.IndexOf("/ocsp/", StringComparison.Ordinal);
        var encoded = Uri.UnescapeDataString(raw[(marker + "/ocsp/".Length)..]);
        if (encoded.Length > MaxRequestBytes)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        try
        {
            return Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            return ReadOnlyMemory<byte>.Empty;
        }
    }
}
