using System.Buffers.Binary;
using System.Security.Cryptography;
using IdentityHub.Data;
using IdentityHub.Hsm;
using IdentityHub.Pki.Authorities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityHub.Benchmarks.Oidc;

/// <summary>
/// The fixed costs of one token, each measured in process on one core (one worker): an ES256 signature with the hub's
/// own protocol-signing key through the HSM seam, the same in software, and the client-secret check as OpenIddict's
/// application manager makes it (plus the raw PBKDF2 of the stored hash, its format read from the hash itself).
/// </summary>
internal sealed record OidcPieces(double HsmSignsPerCore, double SoftwareSignsPerCore, double SecretChecksPerCore, double RawPbkdf2PerCore, string SecretFormat)
{
    public static async Task<OidcPieces> MeasureAsync(IServiceProvider services, string clientId, string secret, TimeSpan duration)
    {
        var digest = SHA256.HashData("header.payload"u8);
        var service = await services.GetRequiredService<PkiKeyring>().ServiceKeyAsync("protocol-signing", CancellationToken.None);
        using var hsm = service.Key.AsECDsa();
        using var software = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var hsmRate = await Measure.RateAsync(1, duration, _ =>
        {
            hsm.SignHash(digest);
            return Task.CompletedTask;
        });
        var softwareRate = await Measure.RateAsync(1, duration, _ =>
        {
            software.SignHash(digest);
            return Task.CompletedTask;
        });

        await using var scope = services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var application = await applications.FindByClientIdAsync(clientId) ?? throw new InvalidOperationException("no bench client");
        var checkRate = await Measure.RateAsync(1, duration, async _ =>
        {
            if (!await applications.ValidateClientSecretAsync(application, secret))
            {
                throw new InvalidOperationException("OpenIddict refused the bench client's secret");
            }
        });

        // OpenIddict's format (ASP.NET Core Identity v3's): 0x01, algorithm, iterations, salt length, salt, subkey.
        var stored = await scope.ServiceProvider.GetRequiredService<HubDbContext>().Set<OpenIddictEntityFrameworkCoreApplication>()
            .Where(a => a.ClientId == clientId).Select(a => a.ClientSecret).SingleAsync();
        var payload = Convert.FromBase64String(stored!);
        var algorithm = BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(1)) switch
        {
            0 => HashAlgorithmName.SHA1,
            1 => HashAlgorithmName.SHA256,
            _ => HashAlgorithmName.SHA512,
        };
        var iterations = (int)BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(5));
        var saltLength = (int)BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(9));
        var salt = payload.AsSpan(13, saltLength).ToArray();
        var subkeyLength = payload.Length - 13 - saltLength;
        var rawRate = await Measure.RateAsync(1, duration, _ =>
        {
            Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, algorithm, subkeyLength);
            return Task.CompletedTask;
        });
        return new OidcPieces(hsmRate, softwareRate, checkRate, rawRate, $"PBKDF2-HMAC-{algorithm.Name} x {iterations:N0}");
    }
}
