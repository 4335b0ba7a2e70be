using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdentityHub.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddSamlBackChannelLogout : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "backchannel_logouts",
                schema: "saml",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SessionId = table.Column<Guid>(type: "uuid", nullable: false),
                    SpEntityId = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    Location = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    NameId = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    NameIdFormat = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    SpNameQualifier = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    SessionIndex = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RequestId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    LastStatus = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    LastError = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    DeliveredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    GaveUpAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_saml_backchannel_logouts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_saml_backchannel_logouts_sessions",
                        column: x => x.SessionId,
                        principalSchema: "accounts",
                        principalTable: "sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_saml_backchannel_logouts_Due",
                schema: "saml",
                table: "backchannel_logouts",
                column: "NextAttemptAt",
                filter: "\"DeliveredAt\" IS NULL AND \"GaveUpAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_saml_backchannel_logouts_Session_Sp",
                schema: "saml",
                table: "backchannel_logouts",
                columns: new[] { "SessionId", "SpEntityId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "backchannel_logouts",
                schema: "saml");
        }
    }
}
