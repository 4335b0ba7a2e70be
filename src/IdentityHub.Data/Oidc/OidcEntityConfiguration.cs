using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityHub.Data.Oidc;

/// <summary>
/// OpenIddict's entities (registered clients, authorizations, tokens, scopes) in schema "oidc"
/// (docs/decisions/0001-openiddict-instead-of-duende.md). Their shape is OpenIddict's; only the tables are named here.
/// </summary>
internal static class OidcEntityConfiguration
{
    public const string Schema = "oidc";

    public static void Configure(ModelBuilder builder)
    {
        builder.UseOpenIddict();
        builder.Entity<OpenIddictEntityFrameworkCoreApplication>().ToTable("applications", Schema);
        builder.Entity<OpenIddictEntityFrameworkCoreAuthorization>().ToTable("authorizations", Schema);
        builder.Entity<OpenIddictEntityFrameworkCoreScope>().ToTable("scopes", Schema);
        builder.Entity<OpenIddictEntityFrameworkCoreToken>().ToTable("tokens", Schema);
    }
}
