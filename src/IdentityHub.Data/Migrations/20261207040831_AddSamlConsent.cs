using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdentityHub.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddSamlConsent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "GovernmentService",
                schema: "saml",
                table: "service_providers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "consents",
                schema: "saml",
                columns: table => new
                {
                    AccountId = table.Column<Guid>(type: "uuid", nullable: false),
                    SpEntityId = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    Attributes = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    GrantedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_saml_consents", x => new { x.AccountId, x.SpEntityId });
                    table.ForeignKey(
                        name: "FK_saml_consents_service_providers",
                        column: x => x.SpEntityId,
                        principalSchema: "saml",
                        principalTable: "service_providers",
                        principalColumn: "EntityId",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_saml_consents_users",
                        column: x => x.AccountId,
                        principalSchema: "accounts",
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_saml_consents_SpEntityId",
                schema: "saml",
                table: "consents",
                column: "SpEntityId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "consents",
                schema: "saml");

            migrationBuilder.DropColumn(
                name: "GovernmentService",
                schema: "saml",
                table: "service_providers");
        }
    }
}
