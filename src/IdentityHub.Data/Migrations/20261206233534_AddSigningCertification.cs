using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdentityHub.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddSigningCertification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Certification",
                schema: "signing",
                table: "requests",
                type: "integer",
                nullable: true);

            migrationBuilder.AddCheckConstraint(
                name: "CK_requests_certification",
                schema: "signing",
                table: "requests",
                sql: "\"Certification\" IS NULL OR \"Certification\" BETWEEN 1 AND 3");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "CK_requests_certification",
                schema: "signing",
                table: "requests");

            migrationBuilder.DropColumn(
                name: "Certification",
                schema: "signing",
                table: "requests");
        }
    }
}
