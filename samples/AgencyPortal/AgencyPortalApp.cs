namespace AgencyPortal;

/// <summary>The agency's application: a public home page, a page for signed-in citizens, and sign-out.</summary>
public static class AgencyPortalApp
{
    /// <summary>Builds the application from a builder the caller configured (its settings, its URLs).</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHubSignIn();
        builder.Services.AddAuthorization();
        builder.Services.AddAntiforgery();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapAgencyPages();
        return app;
    }
}
