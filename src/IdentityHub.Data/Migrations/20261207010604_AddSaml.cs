using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdentityHub.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddSaml : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "saml");

            migrationBuilder.CreateTable(
                name: "requests",
                schema: "saml",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SpEntityId = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    RequestId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    AcsUrl = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    RelayState = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    Levels = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ForceAuthn = table.Column<bool>(type: "boolean", nullable: false),
                    NameIdFormat = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_saml_requests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "service_providers",
                schema: "saml",
                columns: table => new
                {
                    EntityId = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    MetadataXml = table.Column<string>(type: "text", nullable: false),
                    MetadataSource = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Sector = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    NameIdFormat = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    NationalIdEntitled = table.Column<bool>(type: "boolean", nullable: false),
                    Attributes = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    RequireSignedRequests = table.Column<bool>(type: "boolean", nullable: false),
                    EncryptAssertions = table.Column<bool>(type: "boolean", nullable: false),
                    SignResponse = table.Column<bool>(type: "boolean", nullable: false),
                    MinimumLevel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    AllowUnsolicited = table.Column<bool>(type: "boolean", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_saml_service_providers", x => x.EntityId);
                    table.CheckConstraint("CK_service_providers_minimum_level", "\"MinimumLevel\" IN ('low', 'substantial', 'high')");
                    table.CheckConstraint("CK_service_providers_name_id_format", "\"NameIdFormat\" IN ('persistent', 'transient', 'national-id')");
                });

            migrationBuilder.CreateTable(
                name: "session_service_providers",
                schema: "saml",
                columns: table => new
                {
                    SessionId = table.Column<Guid>(type: "uuid", nullable: false),
                    SpEntityId = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    SessionIndex = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TransientNameId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    NameIdFormat = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    FirstAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_saml_session_service_providers", x => new { x.SessionId, x.SpEntityId });
                    table.ForeignKey(
                        name: "FK_session_service_providers_sessions_SessionId",
                        column: x => x.SessionId,
                        principalSchema: "accounts",
                        principalTable: "sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "signing_keys",
                schema: "saml",
                columns: table => new
                {
                    HsmKeyId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    KeyAlgorithm = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CertificateDer = table.Column<byte[]>(type: "bytea", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ActivatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RetiredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_saml_signing_keys", x => x.HsmKeyId);
                    table.CheckConstraint("CK_signing_keys_state", "\"State\" IN ('next', 'current', 'retired')");
                });

            migrationBuilder.CreateIndex(
                name: "IX_saml_requests_ExpiresAt",
                schema: "saml",
                table: "requests",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_saml_requests_SpEntityId_RequestId",
                schema: "saml",
                table: "requests",
                columns: new[] { "SpEntityId", "RequestId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_saml_session_service_providers_SessionIndex",
                schema: "saml",
                table: "session_service_providers",
                column: "SessionIndex",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_saml_signing_keys_current",
                schema: "saml",
                table: "signing_keys",
                column: "State",
                unique: true,
                filter: "\"State\" = 'current'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "requests",
                schema: "saml");

            migrationBuilder.DropTable(
                name: "service_providers",
                schema: "saml");

            migrationBuilder.DropTable(
                name: "session_service_providers",
                schema: "saml");

            migrationBuilder.DropTable(
                name: "signing_keys",
                schema: "saml");
        }
    }
}
