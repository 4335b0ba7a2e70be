using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace IdentityHub.Data.Migrations
{
    /// <inheritdoc />
    public partial class OfficersAtCountersAndAccountRecovery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ApiCredentialId",
                schema: "accounts",
                table: "sessions",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Roles",
                schema: "accounts",
                table: "sessions",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ServicePoint",
                schema: "accounts",
                table: "sessions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "TokenHash",
                schema: "accounts",
                table: "sessions",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PostalAddress",
                schema: "registry",
                table: "persons",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BoundAtLevel",
                schema: "accounts",
                table: "passkey_details",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ApprovedByAccountId",
                schema: "registry",
                table: "enrolments",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "CreatedByAccountId",
                schema: "registry",
                table: "enrolments",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "IssuedByAccountId",
                schema: "registry",
                table: "enrolments",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PostalAddress",
                schema: "registry",
                table: "enrolments",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Purpose",
                schema: "registry",
                table: "enrolments",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "VerifiedByAccountId",
                schema: "registry",
                table: "enrolments",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "notices",
                schema: "accounts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    AccountId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Details = table.Column<string>(type: "jsonb", nullable: false),
                    ReadAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_notices_users_AccountId",
                        column: x => x.AccountId,
                        principalSchema: "accounts",
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "recovery_letters",
                schema: "accounts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AccountId = table.Column<Guid>(type: "uuid", nullable: false),
                    CodeHash = table.Column<byte[]>(type: "bytea", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FailedAttempts = table.Column<int>(type: "integer", nullable: false),
                    UsedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    IssuedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Channel = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Delivery = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recovery_letters", x => x.Id);
                    table.ForeignKey(
                        name: "FK_recovery_letters_users_AccountId",
                        column: x => x.AccountId,
                        principalSchema: "accounts",
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "staff_service_points",
                schema: "accounts",
                columns: table => new
                {
                    AccountId = table.Column<Guid>(type: "uuid", nullable: false),
                    ServicePoint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AssignedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AssignedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_staff_service_points", x => new { x.AccountId, x.ServicePoint });
                    table.ForeignKey(
                        name: "FK_staff_service_points_service_points_ServicePoint",
                        column: x => x.ServicePoint,
                        principalSchema: "registry",
                        principalTable: "service_points",
                        principalColumn: "Code",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_staff_service_points_users_AccountId",
                        column: x => x.AccountId,
                        principalSchema: "accounts",
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                schema: "accounts",
                table: "roles",
                columns: new[] { "Id", "ConcurrencyStamp", "Name", "NormalizedName" },
                values: new object[] { new Guid("6f1d3a52-0c1e-4b7a-9a61-000000000005"), "6f1d3a520c1e4b7a9a61000000000005", "helpdesk", "HELPDESK" });

            migrationBuilder.CreateIndex(
                name: "IX_sessions_ApiCredentialId",
                schema: "accounts",
                table: "sessions",
                column: "ApiCredentialId",
                filter: "\"ApiCredentialId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_notices_AccountId_CreatedAt",
                schema: "accounts",
                table: "notices",
                columns: new[] { "AccountId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_recovery_letters_AccountId",
                schema: "accounts",
                table: "recovery_letters",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_staff_service_points_ServicePoint",
                schema: "accounts",
                table: "staff_service_points",
                column: "ServicePoint");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "notices",
                schema: "accounts");

            migrationBuilder.DropTable(
                name: "recovery_letters",
                schema: "accounts");

            migrationBuilder.DropTable(
                name: "staff_service_points",
                schema: "accounts");

            migrationBuilder.DropIndex(
                name: "IX_sessions_ApiCredentialId",
                schema: "accounts",
                table: "sessions");

            migrationBuilder.DeleteData(
                schema: "accounts",
                table: "roles",
                keyColumn: "Id",
                keyValue: new Guid("6f1d3a52-0c1e-4b7a-9a61-000000000005"));

            migrationBuilder.DropColumn(
                name: "ApiCredentialId",
                schema: "accounts",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "Roles",
                schema: "accounts",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "ServicePoint",
                schema: "accounts",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "TokenHash",
                schema: "accounts",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "PostalAddress",
                schema: "registry",
                table: "persons");

            migrationBuilder.DropColumn(
                name: "BoundAtLevel",
                schema: "accounts",
                table: "passkey_details");

            migrationBuilder.DropColumn(
                name: "ApprovedByAccountId",
                schema: "registry",
                table: "enrolments");

            migrationBuilder.DropColumn(
                name: "CreatedByAccountId",
                schema: "registry",
                table: "enrolments");

            migrationBuilder.DropColumn(
                name: "IssuedByAccountId",
                schema: "registry",
                table: "enrolments");

            migrationBuilder.DropColumn(
                name: "PostalAddress",
                schema: "registry",
                table: "enrolments");

            migrationBuilder.DropColumn(
                name: "Purpose",
                schema: "registry",
                table: "enrolments");

            migrationBuilder.DropColumn(
                name: "VerifiedByAccountId",
                schema: "registry",
                table: "enrolments");
        }
    }
}
