using AgencyPortal;

// `dotnet run` with the Hub section of appsettings.json filled in (see docs/oidc.md#example-an-aspnet-core-app).
var app = AgencyPortalApp.Build(WebApplication.CreateBuilder(args));
await app.RunAsync();
