using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace IdentityHub.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without a running hub.</summary>
internal sealed class DesignTimeHubDbContextFactory : IDesignTimeDbContextFactory<HubDbContext>
{
    public HubDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<HubDbContext>().UseNpgsql("Host=127.0.0.1;Database=design_time").WithIdentitySchema().Options);
}
