using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityHub.IntegrationTests.Authentication;
using IdentityHub.IntegrationTests.Oidc;
using IdentityHub.Oidc;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.IntegrationTests.Signing;

/// <summary>
/// The CSC API v2 subset as a remote-signing client uses it: a citizen's access token (authorization code flow, scope
/// signing) from the hub's own OpenID provider, credentials/list and credentials/info, credentials/authorize at SCAL2
/// with the citizen's TOTP code for hash A, and signatures/signHash, whose signature verifies with the certificate the
/// API returned. The SAD for hash A signs neither hash B nor twice; a client's own token signs nothing.
/// </summary>
[Collection(PasskeyHubCollection.Name)]
public sealed class CscApiTests(PasskeyHubFixture hub)
{
    private const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    private const string Sha256 = "2.16.840.1.101.3.4.2.1";

    private async Task<(ActivatedCitizen Citizen, string Token)> CitizenTokenAsync(string scope = "openid signing")
    {
        var clientId = await OidcDriver.RegisterAsync(hub, "csc.agency.test", [OidcScopes.Signing, OidcScopes.Profile]);
        var citizen = await hub.ActivateWithTotpAsync();
        using var browser = new HubWebClient(hub.BaseAddress);
        var pending = OidcDriver.Request(clientId, scope);
        var callback = OidcDriver.CallbackParameters(await OidcDriver.LogInAndComeBackAsync(browser, citizen, pending.Query));
        var (status, body) = await OidcDriver.RedeemAsync(hub, clientId, callback["code"], pending.Verifier);
        Assert.Equal(HttpStatusCode.OK, status);
        return (citizen, body.GetProperty("access_token").GetString()!);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(string method, string? token, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/csc/v2/" + method) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await hub.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone(), response);
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);

    [Fact]
    public async Task A_client_lists_gets_info_authorizes_hash_A_with_TOTP_and_signs_A_once_but_never_B()
    {
        var (citizen, token) = await CitizenTokenAsync();

        var (infoStatus, info, _) = await PostAsync("info", null, "{}");
        Assert.Equal(HttpStatusCode.OK, infoStatus);
        Assert.Equal("2.0.0.0", info.GetProperty("specs").GetString());
        Assert.Contains("oauth2code", info.GetProperty("authType").EnumerateArray().Select(e => e.GetString()));

        var (listStatus, list, _) = await PostAsync("credentials/list", token, "{}");
        Assert.Equal(HttpStatusCode.OK, listStatus);
        var credentialId = Assert.Single(list.GetProperty("credentialIDs").EnumerateArray()).GetString()!;

        var (credStatus, credential, _) = await PostAsync("credentials/info", token, Json(new { credentialID = credentialId, certificates = "chain", certInfo = true }));
        Assert.Equal(HttpStatusCode.OK, credStatus);
        Assert.Equal("explicit", credential.GetProperty("authMode").GetString());
        Assert.Equal("2", credential.GetProperty("SCAL").GetString());
        Assert.Equal("enabled", credential.GetProperty("key").GetProperty("status").GetString());
        Assert.Equal(256, credential.GetProperty("key").GetProperty("len").GetInt32());
        Assert.Contains(EcdsaWithSha256, credential.GetProperty("key").GetProperty("algo").EnumerateArray().Select(e => e.GetString()));
        var cert = credential.GetProperty("cert");
        Assert.Equal("valid", cert.GetProperty("status").GetString());
        var chain = cert.GetProperty("certificates").EnumerateArray().Select(e => Convert.FromBase64String(e.GetString()!)).ToList();
        Assert.Equal(3, chain.Count);
        using var certificate = X509CertificateLoader.LoadCertificate(chain[0]);
        Assert.Equal(certificate.SerialNumber, cert.GetProperty("serialNumber").GetString(), ignoreCase: true);
        Assert.Equal(certificate.Issuer, cert.GetProperty("issuerDN").GetString());
        Assert.Matches("^[0-9]{14}Z$", cert.GetProperty("validTo").GetString());
        // The credential id is the key id: base64url SHA-256 of the certificate's SubjectPublicKeyInfo.
        Assert.Equal(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo())), credentialId);

        var hashA = SHA256.HashData("document A"u8);
        var hashB = SHA256.HashData("document B"u8);
        await CitizenWeb.AwayFromAStepBoundaryAsync();
        var (authStatus, authorized, _) = await PostAsync("credentials/authorize", token, Json(new
        {
            credentialID = credentialId,
            numSignatures = 1,
            hashes = new[] { Convert.ToBase64String(hashA) },
            hashAlgorithmOID = Sha256,
            authData = new[] { new { id = "OTP", value = citizen.NextCode() } },
        }));
        Assert.Equal(HttpStatusCode.OK, authStatus);
        var sad = authorized.GetProperty("SAD").GetString()!;
        Assert.True(authorized.GetProperty("expiresIn").GetInt64() > 0);

        object SignHash(byte[] hash) => new { credentialID = credentialId, SAD = sad, hashes = new[] { Convert.ToBase64String(hash) }, hashAlgorithmOID = Sha256, signAlgo = EcdsaWithSha256 };

        var (bStatus, b, _) = await PostAsync("signatures/signHash", token, Json(SignHash(hashB)));
        Assert.Equal(HttpStatusCode.BadRequest, bStatus);
        Assert.Equal("invalid_request", b.GetProperty("error").GetString());
        Assert.False(b.TryGetProperty("signatures", out _));

        var (aStatus, a, _) = await PostAsync("signatures/signHash", token, Json(SignHash(hashA)));
        Assert.Equal(HttpStatusCode.OK, aStatus);
        var signature = Convert.FromBase64String(Assert.Single(a.GetProperty("signatures").EnumerateArray()).GetString()!);
        using var key = certificate.GetECDsaPublicKey()!;
        Assert.True(key.VerifyHash(hashA, signature, DSASignatureFormat.Rfc3279DerSequence));
        Assert.False(key.VerifyHash(hashB, signature, DSASignatureFormat.Rfc3279DerSequence));

        var (againStatus, again, _) = await PostAsync("signatures/signHash", token, Json(SignHash(hashA)));
        Assert.Equal(HttpStatusCode.BadRequest, againStatus);
        Assert.Equal("invalid_request", again.GetProperty("error").GetString());

        // The SAD never reaches the audit chain; the activation's hashes and the agency do.
        var audit = string.Join("\n", (await hub.EventsAsync(citizen.Letter.NationalId)).Select(e => e.Details));
        Assert.DoesNotContain(sad, audit, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(hashA), audit, StringComparison.Ordinal);
        Assert.Contains("\"agency\":\"agency-", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_OTP_gives_no_SAD_and_authorize_without_hashes_is_refused_at_SCAL2()
    {
        var (citizen, token) = await CitizenTokenAsync();
        var (_, list, _) = await PostAsync("credentials/list", token, "{}");
        var credentialId = list.GetProperty("credentialIDs")[0].GetString()!;
        var hash = Convert.ToBase64String(SHA256.HashData("document"u8));
        var wrong = citizen.CodeAt(0) == "000000" ? "111111" : "000000";

        var (wrongStatus, refused, _) = await PostAsync("credentials/authorize", token, Json(new
        {
            credentialID = credentialId, numSignatures = 1, hashes = new[] { hash }, hashAlgorithmOID = Sha256,
            authData = new[] { new { id = "OTP", value = wrong } },
        }));
        Assert.Equal(HttpStatusCode.BadRequest, wrongStatus);
        Assert.Equal("invalid_request", refused.GetProperty("error").GetString());
        Assert.False(refused.TryGetProperty("SAD", out _));

        var (noHashes, _, _) = await PostAsync("credentials/authorize", token, Json(new
        {
            credentialID = credentialId, numSignatures = 1, hashAlgorithmOID = Sha256, authData = new[] { new { id = "OTP", value = citizen.NextCode() } },
        }));
        Assert.Equal(HttpStatusCode.BadRequest, noHashes);
    }

    [Fact]
    public async Task A_client_credentials_token_and_a_token_without_the_signing_scope_are_refused_and_no_token_is_401()
    {
        var clientId = "csc-backend-" + Guid.NewGuid().ToString("N")[..6];
        var secret = new string('s', 40);
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var added = await scope.ServiceProvider.GetRequiredService<OidcClients>().AddAsync(new OidcClientSpec
            {
                ClientId = clientId, DisplayName = "Back end", ClientSecret = secret, AllowClientCredentials = true, Scopes = [OidcScopes.Signing], Sector = "backend.agency.test",
            }, "tests", CancellationToken.None);
            Assert.True(added.Succeeded, added.Problem);
        }

        var (tokenStatus, issued) = await OidcDriver.TokenAsync(hub, new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "signing" }, (clientId, secret));
        Assert.Equal(HttpStatusCode.OK, tokenStatus);
        var clientToken = issued.GetProperty("access_token").GetString()!;
        var signHash = Json(new { credentialID = "x", SAD = "x", hashes = new[] { Convert.ToBase64String(new byte[32]) }, hashAlgorithmOID = Sha256, signAlgo = EcdsaWithSha256 });

        var (clientStatus, clientError, _) = await PostAsync("signatures/signHash", clientToken, signHash);
        Assert.Equal(HttpStatusCode.Forbidden, clientStatus);
        Assert.Equal("access_denied", clientError.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync("credentials/list", clientToken, "{}")).Status);

        var (_, profileOnly) = await CitizenTokenAsync("openid profile");
        var (scopeStatus, scopeError, _) = await PostAsync("signatures/signHash", profileOnly, signHash);
        Assert.Equal(HttpStatusCode.Forbidden, scopeStatus);
        Assert.Equal("insufficient_scope", scopeError.GetProperty("error").GetString());

        var (noneStatus, none, response) = await PostAsync("signatures/signHash", null, signHash);
        Assert.Equal(HttpStatusCode.Unauthorized, noneStatus);
        Assert.Equal("invalid_token", none.GetProperty("error").GetString());
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        response.Dispose();
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("credentials/list", clientToken[..^4] + "AAAA", "{}")).Status);
    }

    [Fact]
    public async Task Malformed_JSON_bad_base64_unknown_algorithms_and_a_forged_SAD_get_CSC_errors()
    {
        var (_, token) = await CitizenTokenAsync();
        var (_, list, _) = await PostAsync("credentials/list", token, "{}");
        var credentialId = list.GetProperty("credentialIDs")[0].GetString()!;

        async Task AssertInvalidAsync(string method, string json, string description)
        {
            var (status, body, response) = await PostAsync(method, token, json);
            response.Dispose();
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("invalid_request", body.GetProperty("error").GetString());
            Assert.Contains(description, body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        }

        await AssertInvalidAsync("credentials/info", "{\"credentialID\": ", "not valid JSON");
        await AssertInvalidAsync("credentials/info", Json(new { credentialID = "someone-else" }), "credentialID");
        var good = Convert.ToBase64String(SHA256.HashData("x"u8));
        await AssertInvalidAsync("credentials/authorize", Json(new
        {
            credentialID = credentialId, numSignatures = 1, hashes = new[] { "not base64 !" }, hashAlgorithmOID = Sha256,
            authData = new[] { new { id = "OTP", value = "123456" } },
        }), "Base64");
        await AssertInvalidAsync("credentials/authorize", Json(new
        {
            credentialID = credentialId, numSignatures = 2, hashes = new[] { good }, hashAlgorithmOID = Sha256,
            authData = new[] { new { id = "OTP", value = "123456" } },
        }), "numSignatures");
        await AssertInvalidAsync("signatures/signHash", Json(new { credentialID = credentialId, SAD = "AAAA", hashes = new[] { good }, hashAlgorithmOID = "1.3.14.3.2.26", signAlgo = EcdsaWithSha256 }), "hashAlgorithmOID");
        await AssertInvalidAsync("signatures/signHash", Json(new { credentialID = credentialId, SAD = "AAAA", hashes = new[] { good }, hashAlgorithmOID = Sha256, signAlgo = "1.2.840.113549.1.1.11" }), "signAlgo");
        var forged = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(48));
        await AssertInvalidAsync("signatures/signHash", Json(new { credentialID = credentialId, SAD = forged, hashes = new[] { good }, hashAlgorithmOID = Sha256, signAlgo = EcdsaWithSha256 }), "Invalid SAD");
    }

    [Fact]
    public async Task The_OpenAPI_description_lists_the_CSC_methods_apart_from_the_enrolment_API()
    {
        var csc = await hub.Http.GetStringAsync(new Uri("/openapi/csc-v2.json", UriKind.Relative));
        foreach (var method in new[] { "info", "credentials/list", "credentials/info", "credentials/authorize", "signatures/signHash" })
        {
            Assert.Contains($"\"/csc/v2/{method}\"", csc, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("/api/enrolment/v1", csc, StringComparison.Ordinal);
        Assert.DoesNotContain("/csc/v2/", await hub.Http.GetStringAsync(new Uri("/openapi/enrolment-v1.json", UriKind.Relative)), StringComparison.Ordinal);
    }
}
