using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdentityHub.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddSamlLogout : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "logouts",
                schema: "saml",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AccountId = table.Column<Guid>(type: "uuid", nullable: false),
                    SessionIds = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    InitiatorEntityId = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    InitiatorRequestId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    InitiatorRelayState = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    InitiatorResponseUrl = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    InitiatorBinding = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    InitiatorClientId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ReturnUrl = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Partial = table.Column<bool>(type: "boolean", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_saml_logouts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "logout_parties",
                schema: "saml",
                columns: table => new
                {
                    LogoutId = table.Column<Guid>(type: "uuid", nullable: false),
                    SpEntityId = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    NameId = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    NameIdFormat = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    SpNameQualifier = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    SessionIndexes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    RequestId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    StatusCode = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_saml_logout_parties", x => new { x.LogoutId, x.SpEntityId });
                    table.ForeignKey(
                        name: "FK_saml_logout_parties_logouts",
                        column: x => x.LogoutId,
                        principalSchema: "saml",
                        principalTable: "logouts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_saml_logout_parties_RequestId",
                schema: "saml",
                table: "logout_parties",
                column: "RequestId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_saml_logouts_ExpiresAt",
                schema: "saml",
                table: "logouts",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_saml_logouts_Initiator",
                schema: "saml",
                table: "logouts",
                columns: new[] { "InitiatorEntityId", "InitiatorRequestId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "logout_parties",
                schema: "saml");

            migrationBuilder.DropTable(
                name: "logouts",
                schema: "saml");
        }
    }
}
