using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace IdentityHub.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialPki : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "pki");

            migrationBuilder.CreateTable(
                name: "certificate_authorities",
                schema: "pki",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    IssuerName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    SubjectDn = table.Column<string>(type: "text", nullable: false),
                    KeyId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    KeyAlgorithm = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SerialNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CertificateDer = table.Column<byte[]>(type: "bytea", nullable: false),
                    NotBefore = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    NotAfter = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CrlNumber = table.Column<long>(type: "bigint", nullable: false),
                    CrlDer = table.Column<byte[]>(type: "bytea", nullable: true),
                    CrlThisUpdate = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CrlNextUpdate = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_certificate_authorities", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "issued_certificates",
                schema: "pki",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    IssuerName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SerialNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SubjectDn = table.Column<string>(type: "text", nullable: false),
                    Profile = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    NotBefore = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    NotAfter = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CertificateDer = table.Column<byte[]>(type: "bytea", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RevocationReason = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_issued_certificates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_issued_certificates_certificate_authorities_IssuerName",
                        column: x => x.IssuerName,
                        principalSchema: "pki",
                        principalTable: "certificate_authorities",
                        principalColumn: "Name",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "service_credentials",
                schema: "pki",
                columns: table => new
                {
                    Purpose = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    IssuerName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    KeyId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    KeyAlgorithm = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SerialNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CertificateDer = table.Column<byte[]>(type: "bytea", nullable: false),
                    NotAfter = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_service_credentials", x => x.Purpose);
                    table.ForeignKey(
                        name: "FK_service_credentials_certificate_authorities_IssuerName",
                        column: x => x.IssuerName,
                        principalSchema: "pki",
                        principalTable: "certificate_authorities",
                        principalColumn: "Name",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_issued_certificates_IssuerName_SerialNumber",
                schema: "pki",
                table: "issued_certificates",
                columns: new[] { "IssuerName", "SerialNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_issued_certificates_IssuerName_Status",
                schema: "pki",
                table: "issued_certificates",
                columns: new[] { "IssuerName", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_service_credentials_IssuerName",
                schema: "pki",
                table: "service_credentials",
                column: "IssuerName");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "issued_certificates",
                schema: "pki");

            migrationBuilder.DropTable(
                name: "service_credentials",
                schema: "pki");

            migrationBuilder.DropTable(
                name: "certificate_authorities",
                schema: "pki");
        }
    }
}
