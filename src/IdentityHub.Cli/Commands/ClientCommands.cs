using System.CommandLine;
using System.Security.Cryptography;
using IdentityHub.Oidc;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Cli.Commands;

/// <summary>hubctl clients …: the relying agencies' OpenID Connect clients (docs/oidc.md "Register a client").</summary>
internal static class ClientCommands
{
    public static Command Create()
    {
        var clientId = new Option<string>("--client-id") { Description = "the client_id the agency configures", Required = true };
        var name = new Option<string>("--name") { Description = "the agency's name, as citizens see it", Required = true };
        var redirect = new Option<string[]>("--redirect-uri") { Description = "an exact redirect URI (https; http only on loopback); repeat for more", AllowMultipleArgumentsPerToken = false };
        var postLogout = new Option<string[]>("--post-logout-redirect-uri") { Description = "where RP-initiated logout may return; repeat for more" };
        var scope = new Option<string[]>("--scope") { Description = "profile, national_id (an entitlement) or offline_access; openid is always allowed; repeat for more" };
        var sector = new Option<string?>("--sector") { Description = "the sector identifier (a host) its pairwise subjects belong to; default: the redirect URIs' host" };
        var confidential = new Option<bool>("--confidential") { Description = "a back-end client: a secret is generated, printed once and stored only hashed (client_secret_basic)" };
        var clientCredentials = new Option<bool>("--client-credentials") { Description = "may get tokens for itself (implies --confidential unless --jwks-file is given)" };
        var jwksFile = new Option<FileInfo?>("--jwks-file") { Description = "the client's public keys (a JWKS file) for private_key_jwt: no shared secret" };
        var governmentService = new Option<bool>("--government-service") { Description = "a government service: citizens are not asked for consent (audited); default: they are" };
        var add = new Command("add", "Register a client; a bad setting is refused with the field named.")
        {
            clientId, name, redirect, postLogout, scope, sector, confidential, clientCredentials, jwksFile, governmentService,
        };
        add.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var jwks = parse.GetValue(jwksFile) is { } file ? await File.ReadAllTextAsync(file.FullName, token) : null;
            var needsSecret = parse.GetValue(confidential) || (parse.GetValue(clientCredentials) && jwks is null);
            var secret = needsSecret ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_') : null;
            var result = await services.GetRequiredService<OidcClients>().AddAsync(new OidcClientSpec
            {
                ClientId = parse.GetValue(clientId)!,
                DisplayName = parse.GetValue(name)!,
                ClientSecret = secret,
                Jwks = jwks,
                RedirectUris = parse.GetValue(redirect) ?? [],
                PostLogoutRedirectUris = parse.GetValue(postLogout) ?? [],
                Scopes = parse.GetValue(scope) ?? [],
                Sector = parse.GetValue(sector),
                AllowClientCredentials = parse.GetValue(clientCredentials),
                GovernmentService = parse.GetValue(governmentService),
            }, OperatorIdentity.Current, token);
            if (!result.Succeeded)
            {
                await Console.Error.WriteLineAsync($"hubctl: {result.Field}: {result.Problem}");
                return 1;
            }

            Console.WriteLine($"registered client {parse.GetValue(clientId)}");
            if (secret is not null)
            {
                Console.WriteLine("client secret (shown once; give it to the agency over a secure channel):");
                Console.WriteLine(secret);
            }

            return 0;
        }, ct));

        var list = new Command("list", "List registered clients.");
        list.SetAction((_, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            foreach (var c in await services.GetRequiredService<OidcClients>().ListAsync(token))
            {
                Console.WriteLine($"{c.ClientId,-24} {c.ClientType,-12} sector {c.Sector,-28} {c.DisplayName}");
            }

            return 0;
        }, ct));

        var id = new Argument<string>("CLIENT_ID");
        var show = new Command("show", "Show one client's settings.") { id };
        show.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            if (await services.GetRequiredService<OidcClients>().FindAsync(parse.GetValue(id)!, token) is not { } c)
            {
                await Console.Error.WriteLineAsync($"hubctl: no client '{parse.GetValue(id)}'");
                return 1;
            }

            Console.WriteLine($"client_id: {c.ClientId}");
            Console.WriteLine($"name: {c.DisplayName}");
            Console.WriteLine($"type: {c.ClientType}");
            Console.WriteLine($"sector: {c.Sector}");
            Console.WriteLine($"scopes: openid {string.Join(' ', c.Scopes.Where(s => s != OidcScopes.OpenId))}".TrimEnd());
            Console.WriteLine($"client credentials: {(c.ClientCredentials ? "yes" : "no")}");
            Console.WriteLine($"government service: {(c.GovernmentService ? "yes (no consent asked)" : "no (citizens consent)")}");
            foreach (var uri in c.RedirectUris)
            {
                Console.WriteLine($"redirect_uri: {uri}");
            }

            foreach (var uri in c.PostLogoutRedirectUris)
            {
                Console.WriteLine($"post_logout_redirect_uri: {uri}");
            }

            return 0;
        }, ct));
        return new Command("clients", "OpenID Connect clients of relying agencies.") { add, list, show };
    }
}
