using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdentityHub.Data.Migrations
{
    /// <inheritdoc />
    public partial class OneOpenEnrolmentPerDocument : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_enrolments_open_document",
                schema: "registry",
                table: "enrolments",
                columns: new[] { "DocumentIssuingState", "DocumentType", "DocumentNumber" },
                unique: true,
                filter: "\"Status\" IN (0, 1, 2)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_enrolments_open_document",
                schema: "registry",
                table: "enrolments");
        }
    }
}
