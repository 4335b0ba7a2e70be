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
        var scope = new Option<string[]>("--scope") { Description = "profile, national_id (an entitlement), offline_access, signing (the CSC API), signature_requests or signature_validation (the agency signing API, with --client-credentials); openid is always allowed; repeat for more" };
        var sector = new Option<string?>("--sector") { Description = "the sector identifier (a host) its pairwise subjects belong to; default: the redirect URIs' host" };
        var confidential = new Option<bool>("--confidential") { Description = "a back-end client: a secret is generated, printed once and stored only hashed (client_secret_basic)" };
        var clientCredentials = new Option<bool>("--client-credentials") { Description = "may get tokens for itself (implies --confidential unless --jwks-file is given)" };
        var jwksFile = new Option<FileInfo?>("--jwks-file") { Description = "the client's public keys (a JWKS file) for private_key_jwt: no shared secret" };
        var profile = new Option<string>("--profile") { Description = "standard, or fapi2 (FAPI 2.0: PAR, DPoP and private_key_jwt required)", DefaultValueFactory = _ => OidcClientProfiles.Standard };
        var requirePar = new Option<bool>("--require-par") { Description = "authorization requests must be pushed first (RFC 9126)" };
        var requireDpop = new Option<bool>("--require-dpop") { Description = "token requests must carry a DPoP proof (RFC 9449): bound access tokens" };
        var contact = new Option<string[]>("--contact") { Description = "an e-mail address of who answers for the client; repeat for more" };
        var signingAlg = new Option<string?>("--signing-alg") { Description = "how its ID tokens are signed: ES256 (default), PS256 or RS256" };
        var backChannelLogout = new Option<string?>("--backchannel-logout-uri") { Description = "where the hub POSTs a logout token when a citizen's hub session ends (https; http only on loopback)" };
        var governmentService = new Option<bool>("--government-service") { Description = "a government service: citizens are not asked for consent (audited); default: they are" };
        var add = new Command("add", "Register a client; a bad setting is refused with the field named.")
        {
            clientId, name, redirect, postLogout, scope, sector, confidential, clientCredentials, jwksFile, profile, requirePar, requireDpop, contact, signingAlg, backChannelLogout, governmentService,
        };
        add.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var jwks = parse.GetValue(jwksFile) is { } file ? await File.ReadAllTextAsync(file.FullName, token) : null;
            var needsSecret = parse.GetValue(confidential) || (parse.GetValue(clientCredentials) && jwks is null);
            var secret = needsSecret ? OidcClients.NewSecret() : null;
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
                Profile = parse.GetValue(profile)!,
                RequirePushedAuthorization = parse.GetValue(requirePar),
                RequireDpop = parse.GetValue(requireDpop),
                Contacts = parse.GetValue(contact) ?? [],
                SigningAlgorithm = parse.GetValue(signingAlg),
                BackChannelLogoutUri = parse.GetValue(backChannelLogout),
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
            Console.WriteLine($"authentication: {c.AuthenticationMethod}");
            Console.WriteLine($"profile: {c.Profile}");
            Console.WriteLine($"pushed authorization requests: {(c.RequirePushedAuthorization ? "required" : "optional")}");
            Console.WriteLine($"DPoP-bound tokens: {(c.RequireDpop ? "required" : "optional")}");
            Console.WriteLine($"signing_alg: {c.SigningAlgorithm}");
            Console.WriteLine($"government service: {(c.GovernmentService ? "yes (no consent asked)" : "no (citizens consent)")}");
            Console.WriteLine($"status: {(c.DisabledAt is { } at ? $"disabled since {at:u}" : "enabled")}");
            foreach (var address in c.Contacts)
            {
                Console.WriteLine($"contact: {address}");
            }

            foreach (var uri in c.RedirectUris)
            {
                Console.WriteLine($"redirect_uri: {uri}");
            }

            foreach (var uri in c.PostLogoutRedirectUris)
            {
                Console.WriteLine($"post_logout_redirect_uri: {uri}");
            }

            if (c.BackChannelLogoutUri is not null)
            {
                Console.WriteLine($"backchannel_logout_uri: {c.BackChannelLogoutUri}");
            }

            return 0;
        }, ct));
        var update = UpdateCommand();

        var disableId = new Argument<string>("CLIENT_ID");
        var disable = new Command("disable", "Stop a client at once and revoke every token it holds.") { disableId };
        disable.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
            Report(await services.GetRequiredService<OidcClients>().DisableAsync(parse.GetValue(disableId)!, OperatorIdentity.Current, token),
                $"disabled client {parse.GetValue(disableId)}; its tokens are revoked"), ct));

        var enableId = new Argument<string>("CLIENT_ID");
        var enable = new Command("enable", "Let a disabled client work again (its old tokens stay revoked).") { enableId };
        enable.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
            Report(await services.GetRequiredService<OidcClients>().EnableAsync(parse.GetValue(enableId)!, OperatorIdentity.Current, token),
                $"enabled client {parse.GetValue(enableId)}"), ct));

        var rotateId = new Argument<string>("CLIENT_ID");
        var rotate = new Command("rotate-secret", "Give a client_secret_basic client a new secret (printed once); the old one stops working at once.") { rotateId };
        rotate.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var (result, secret) = await services.GetRequiredService<OidcClients>().RotateSecretAsync(parse.GetValue(rotateId)!, OperatorIdentity.Current, token);
            if (Report(result, $"new secret for client {parse.GetValue(rotateId)} (shown once; give it to the agency over a secure channel):") != 0)
            {
                return 1;
            }

            Console.WriteLine(secret);
            return 0;
        }, ct));
        return new Command("clients", "OpenID Connect clients of relying agencies.") { add, list, show, update, disable, enable, rotate };
    }

    /// <summary>hubctl clients update: each option given replaces that setting; a list option given replaces the whole list.</summary>
    private static Command UpdateCommand()
    {
        var id = new Argument<string>("CLIENT_ID");
        var name = new Option<string?>("--name") { Description = "the agency's name, as citizens see it" };
        var redirect = new Option<string[]>("--redirect-uri") { Description = "replaces the redirect URIs; repeat for more" };
        var postLogout = new Option<string[]>("--post-logout-redirect-uri") { Description = "replaces the post-logout redirect URIs; repeat for more" };
        var scope = new Option<string[]>("--scope") { Description = "replaces the scopes; repeat for more" };
        var sector = new Option<string?>("--sector") { Description = "a new sector identifier: every citizen's sub at this client changes" };
        var jwksFile = new Option<FileInfo?>("--jwks-file") { Description = "replaces the client's public keys (a JWKS file)" };
        var profile = new Option<string?>("--profile") { Description = "standard or fapi2" };
        var requirePar = new Option<bool?>("--require-par") { Description = "true or false" };
        var requireDpop = new Option<bool?>("--require-dpop") { Description = "true or false" };
        var clientCredentials = new Option<bool?>("--client-credentials") { Description = "true or false" };
        var contact = new Option<string[]>("--contact") { Description = "replaces the contacts; repeat for more" };
        var signingAlg = new Option<string?>("--signing-alg") { Description = "ES256, PS256 or RS256" };
        var backChannelLogout = new Option<string?>("--backchannel-logout-uri") { Description = "a new back-channel logout URI; an empty value removes it" };
        var governmentService = new Option<bool?>("--government-service") { Description = "true: citizens are not asked for consent; false: they are (audited either way)" };
        var update = new Command("update", "Change a client's settings; a bad setting is refused with the field named.")
        {
            id, name, redirect, postLogout, scope, sector, jwksFile, profile, requirePar, requireDpop, clientCredentials, contact, signingAlg, backChannelLogout, governmentService,
        };
        update.SetAction((parse, ct) => HubCtl.WithServicesAsync(async (services, token) =>
        {
            var jwks = parse.GetValue(jwksFile) is { } file ? await File.ReadAllTextAsync(file.FullName, token) : null;
            IReadOnlyList<string>? Replace(Option<string[]> option) => parse.GetResult(option) is null ? null : parse.GetValue(option) ?? [];
            var result = await services.GetRequiredService<OidcClients>().UpdateAsync(parse.GetValue(id)!, spec => spec with
            {
                DisplayName = parse.GetValue(name) ?? spec.DisplayName,
                RedirectUris = Replace(redirect) ?? spec.RedirectUris,
                PostLogoutRedirectUris = Replace(postLogout) ?? spec.PostLogoutRedirectUris,
                Scopes = Replace(scope) ?? spec.Scopes,
                Sector = parse.GetValue(sector) ?? spec.Sector,
                Jwks = jwks ?? spec.Jwks,
                Profile = parse.GetValue(profile) ?? spec.Profile,
                RequirePushedAuthorization = parse.GetValue(requirePar) ?? spec.RequirePushedAuthorization,
                RequireDpop = parse.GetValue(requireDpop) ?? spec.RequireDpop,
                AllowClientCredentials = parse.GetValue(clientCredentials) ?? spec.AllowClientCredentials,
                Contacts = Replace(contact) ?? spec.Contacts,
                SigningAlgorithm = parse.GetValue(signingAlg) ?? spec.SigningAlgorithm,
                BackChannelLogoutUri = parse.GetResult(backChannelLogout) is null ? spec.BackChannelLogoutUri
                    : parse.GetValue(backChannelLogout) is { Length: > 0 } logout ? logout : null,
                GovernmentService = parse.GetValue(governmentService) ?? spec.GovernmentService,
            }, OperatorIdentity.Current, token);
            return Report(result, $"updated client {parse.GetValue(id)}");
        }, ct));
        return update;
    }

    private static int Report(OidcClientResult result, string done)
    {
        if (!result.Succeeded)
        {
            Console.Error.WriteLine($"hubctl: {result.Field}: {result.Problem}");
            return 1;
        }

        Console.WriteLine(done);
        return 0;
    }
}
