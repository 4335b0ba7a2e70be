using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityHub.Data.Hosting;

/// <summary>
/// ASP.NET Core Data Protection's key ring (it protects console cookies and antiforgery tokens), shared by every hub
/// node through PostgreSQL: a session that began on one node is valid on all of them (ARCHITECTURE.md, stateless nodes).
/// </summary>
internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder) => builder.ToTable("data_protection_keys", "hosting");
}
