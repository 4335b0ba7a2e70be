using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdentityHub.Data.Migrations
{
    /// <inheritdoc />
    public partial class DpopProofReplay : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "dpop_proofs",
                schema: "oidc",
                columns: table => new
                {
                    Jkt = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Jti = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dpop_proofs", x => new { x.Jkt, x.Jti });
                });

            migrationBuilder.CreateIndex(
                name: "IX_dpop_proofs_ExpiresAt",
                schema: "oidc",
                table: "dpop_proofs",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "dpop_proofs",
                schema: "oidc");
        }
    }
}
