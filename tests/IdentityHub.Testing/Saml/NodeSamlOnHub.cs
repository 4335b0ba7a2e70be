using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IdentityHub.Saml.Providers;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Testing.Saml;

/// <summary>A node-saml SP registered at a hub: its entity ID, pairwise sector and the configuration for <see cref="NodeSamlSp"/>.</summary>
public sealed record RegisteredNodeSamlSp(string EntityId, string Sector, string AcsUrl, JsonObject Config);

/// <summary>A node-saml SP's answer as the hub's form posts it.</summary>
public sealed record PostedAnswer(string SamlResponse, string? RelayState)
{
    public string Xml => Encoding.UTF8.GetString(Convert.FromBase64String(SamlResponse));
}

/// <summary>
/// Registers npm's node-saml as an agency's SP at a running hub (with its own RSA key, the IdP certificate pinned from
/// the hub's metadata) and drives an SP-initiated sign-in over HTTP, as SamlSsoTests does.
/// </summary>
public static class NodeSamlOnHub
{
    /// <param name="services">the hub's services (the SP registry is used as hubctl would).</param>
    /// <param name="hubBase">the hub's address as the SP sees it (its SSO endpoint and entity ID are under it).</param>
    /// <param name="acsUrl">the SP's ACS (HTTP-POST).</param>
    /// <param name="spec">changes to the registration (the default: minimum level low, no encryption).</param>
    /// <param name="requested">RequestedAuthnContext class refs, with <paramref name="comparison"/>; none when null.</param>
    public static async Task<RegisteredNodeSamlSp> RegisterAsync(
        IServiceProvider services, Uri hubBase, string acsUrl, Func<ServiceProviderSpec, ServiceProviderSpec>? spec = null,
        string[]? requested = null, string comparison = "minimum", string binding = NodeSamlSp.Redirect)
    {
        ArgumentNullException.ThrowIfNull(services);
        using var http = new HttpClient { BaseAddress = hubBase };
        var idpCertificate = IdpMetadata.SigningCertificate(await http.GetStringAsync(new Uri(hubBase, "saml/metadata")));
        var keys = SpKeys.Create("SP " + Guid.NewGuid().ToString("N")[..8]);
        var entityId = $"https://sp-{Guid.NewGuid():N}.agency.example/saml";
        var config = NodeSamlSp.Sp(hubBase, entityId, acsUrl, idpCertificate.ExportCertificatePem(), keys.PrivateKeyPem, keys.CertificatePem, binding);
        if (requested is not null)
        {
            config["requestedAuthnContext"] = new JsonArray([.. requested.Select(r => (JsonNode)r)]);
            config["racComparison"] = comparison;
        }

        var metadata = (await NodeSamlSp.RunAsync("metadata", NodeSamlSp.Input(config))).Ok()["metadata"]!.GetValue<string>();
        var registration = new ServiceProviderSpec
        {
            Metadata = Encoding.UTF8.GetBytes(metadata),
            DisplayName = "Permits agency",
            EncryptAssertions = false,
            MinimumLevel = "low",
            GovernmentService = true, // these tests are about the protocol, not consent (SamlConsentTests)
        };
        await using var scope = services.CreateAsyncScope();
        var (registered, problem) = await scope.ServiceProvider.GetRequiredService<ServiceProviders>()
            .AddAsync(spec is null ? registration : spec(registration), "tests", CancellationToken.None);
        if (problem is not null)
        {
            throw new InvalidOperationException("The hub refused the SP: " + problem);
        }

        return new RegisteredNodeSamlSp(registered!, new Uri(entityId).Host, acsUrl, config);
    }

    /// <summary>node-saml's AuthnRequest, sent by the citizen's client (redirect or POST); the hub's first answer.</summary>
    public static async Task<(string RequestId, WebPage Page)> StartAsync(HubWebClient client, RegisteredNodeSamlSp sp, string? relayState = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(sp);
        var request = (await NodeSamlSp.RunAsync("login-request", NodeSamlSp.Input(sp.Config, ("relayState", relayState)))).Ok();
        var requestId = request["requestId"]!.GetValue<string>();
        if (request["binding"]!.GetValue<string>() == "redirect")
        {
            return (requestId, await client.GetAsync(new Uri(request["url"]!.GetValue<string>()).PathAndQuery));
        }

        var fields = request["fields"]!.AsObject().ToDictionary(f => f.Key, f => f.Value!.GetValue<string>());
        return (requestId, await client.PostAsync(new Uri(request["action"]!.GetValue<string>()).PathAndQuery, fields, null));
    }

    /// <summary>A sign-in for a client whose session already has the level: the request, the continue step, the answer form.</summary>
    public static async Task<(PostedAnswer Answer, string RequestId)> SignInAsync(HubWebClient client, RegisteredNodeSamlSp sp, string? relayState = null)
    {
        var (requestId, page) = await StartAsync(client, sp, relayState);
        if (page.Status != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"The hub answered the request with {page.Status}, not a redirect: {WebUtility.HtmlDecode(page.Body)}");
        }

        return (AnswerOf(await client.GetAsync(page.Location!), sp), requestId);
    }

    /// <summary>The hub's answer page: a form posting SAMLResponse (and RelayState) to the SP's ACS.</summary>
    public static PostedAnswer AnswerOf(WebPage form, RegisteredNodeSamlSp sp)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(sp);
        if (form.Status != HttpStatusCode.OK || !form.Body.Contains($"action=\"{sp.AcsUrl}\"", StringComparison.Ordinal) || form.Hidden("SAMLResponse") is null)
        {
            throw new InvalidOperationException($"Not an answer form for {sp.AcsUrl} ({form.Status}): {WebUtility.HtmlDecode(form.Body)}");
        }

        return new PostedAnswer(form.Hidden("SAMLResponse")!, form.Hidden("RelayState"));
    }

    /// <summary>node-saml's validate-response: the profile it accepted (or an exception with node-saml's reason).</summary>
    public static async Task<JsonObject> ValidateAsync(RegisteredNodeSamlSp sp, PostedAnswer answer, params string[] requestIds)
    {
        ArgumentNullException.ThrowIfNull(sp);
        ArgumentNullException.ThrowIfNull(answer);
        return (await NodeSamlSp.RunAsync("validate-response", NodeSamlSp.Input(sp.Config,
            ("samlResponse", answer.SamlResponse), ("relayState", answer.RelayState), ("requestIds", NodeSamlSp.RequestIds(requestIds))))).Ok()["profile"]!.AsObject();
    }
}
