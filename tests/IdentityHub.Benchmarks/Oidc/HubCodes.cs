using System.Net;
using System.Security.Cryptography;
using System.Text;
using IdentityHub.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;

namespace IdentityHub.Benchmarks.Oidc;

/// <summary>
/// Makes authorization codes at the hub as a relying party gets them: a citizen's browser, logged in once (password +
/// TOTP), sends /connect/authorize with PKCE S256 again and again; each answer is the redirect to the callback with a
/// fresh code. The verifiers are kept for the exchanges. Not timed.
/// </summary>
internal sealed class HubCodes(HubWebClient browser, string clientId, string redirectUri)
{
    public async Task<IReadOnlyList<PreMadeCode>> MakeAsync(int count, int workers)
    {
        var codes = new PreMadeCode[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                codes[i] = await OneAsync();
            }
        })));
        return codes;
    }

    private async Task<PreMadeCode> OneAsync()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var query = QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["response_type"] = "code",
            ["scope"] = "openid profile",
            ["state"] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
            ["nonce"] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
            ["code_challenge"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
        });
        var page = await browser.GetAsync(query);
        if (page.Status != HttpStatusCode.Redirect || page.Location is not { } location || !location.StartsWith(redirectUri + "?", StringComparison.Ordinal)
            || !QueryHelpers.ParseQuery(new Uri(location).Query).TryGetValue("code", out var code))
        {
            throw new InvalidOperationException($"the hub's authorization endpoint answered {(int)page.Status} {page.Location}, not a code");
        }

        return new PreMadeCode(code.ToString(), verifier);
    }
}
