using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdentityHub.Data.Migrations
{
    /// <summary>
    /// A signed PDF is stored as the upload followed by the revision the signature appended (SignedAppendsContent), and
    /// documents are stored out of line without compression (STORAGE EXTERNAL): most are PDFs and containers, compressed
    /// already, kept an hour by default, and pglz would otherwise compress and decompress every megabyte on the signing path.
    /// </summary>
    public partial class StoreSignedPdfsAsIncrementalUpdates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "SignedAppendsContent",
                schema: "signing",
                table: "documents",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.Sql("""ALTER TABLE signing.documents ALTER COLUMN "Content" SET STORAGE EXTERNAL, ALTER COLUMN "SignedContent" SET STORAGE EXTERNAL;""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""ALTER TABLE signing.documents ALTER COLUMN "Content" SET STORAGE EXTENDED, ALTER COLUMN "SignedContent" SET STORAGE EXTENDED;""");

            migrationBuilder.DropColumn(
                name: "SignedAppendsContent",
                schema: "signing",
                table: "documents");
        }
    }
}
