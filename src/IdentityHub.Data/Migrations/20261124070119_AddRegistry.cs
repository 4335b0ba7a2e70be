using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace IdentityHub.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddRegistry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "registry");

            migrationBuilder.CreateTable(
                name: "persons",
                schema: "registry",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    NationalId = table.Column<string>(type: "character(11)", fixedLength: true, maxLength: 11, nullable: false),
                    GivenNames = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Surname = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    SearchName = table.Column<string>(type: "character varying(401)", maxLength: 401, nullable: false),
                    DateOfBirth = table.Column<DateOnly>(type: "date", nullable: false),
                    PlaceOfBirth = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Nationality = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Sex = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_persons", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "service_points",
                schema: "registry",
                columns: table => new
                {
                    Code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_service_points", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "eids",
                schema: "registry",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    DocumentNumber = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    IssuedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ServicePoint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    EnrolmentId = table.Column<Guid>(type: "uuid", nullable: true),
                    ReplacesEidId = table.Column<Guid>(type: "uuid", nullable: true),
                    ActivationCodeHash = table.Column<byte[]>(type: "bytea", nullable: true),
                    ActivationCodeExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ActivationFailedAttempts = table.Column<int>(type: "integer", nullable: false),
                    ActivatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LetterPrintedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    StatusChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StatusChangedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    StatusReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_eids", x => x.Id);
                    table.ForeignKey(
                        name: "FK_eids_persons_PersonId",
                        column: x => x.PersonId,
                        principalSchema: "registry",
                        principalTable: "persons",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "enrolments",
                schema: "registry",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    GivenNames = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Surname = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    DateOfBirth = table.Column<DateOnly>(type: "date", nullable: false),
                    PlaceOfBirth = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Nationality = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Sex = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: true),
                    DocumentType = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    DocumentNumber = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    DocumentIssuingState = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    DocumentExpiresOn = table.Column<DateOnly>(type: "date", nullable: false),
                    PhotoCiphertext = table.Column<byte[]>(type: "bytea", nullable: true),
                    PhotoSha256 = table.Column<byte[]>(type: "bytea", nullable: true),
                    PhotoContentType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ServicePoint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DuplicateCandidates = table.Column<Guid[]>(type: "uuid[]", nullable: false),
                    DuplicateDecision = table.Column<int>(type: "integer", nullable: false),
                    DuplicateDecisionBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    DuplicateNote = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: true),
                    VerifiedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    VerifiedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ApprovedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ApprovedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CancelledBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    CancelledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CancelReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    EidId = table.Column<Guid>(type: "uuid", nullable: true),
                    IssuedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    IssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enrolments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_enrolments_persons_PersonId",
                        column: x => x.PersonId,
                        principalSchema: "registry",
                        principalTable: "persons",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "person_versions",
                schema: "registry",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ChangedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    EnrolmentId = table.Column<Guid>(type: "uuid", nullable: true),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Snapshot = table.Column<string>(type: "jsonb", nullable: false),
                    Changes = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_person_versions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_person_versions_persons_PersonId",
                        column: x => x.PersonId,
                        principalSchema: "registry",
                        principalTable: "persons",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "api_credentials",
                schema: "registry",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ServicePoint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    SecretHash = table.Column<byte[]>(type: "bytea", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastUsedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_credentials", x => x.Id);
                    table.ForeignKey(
                        name: "FK_api_credentials_service_points_ServicePoint",
                        column: x => x.ServicePoint,
                        principalSchema: "registry",
                        principalTable: "service_points",
                        principalColumn: "Code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "eid_keys",
                schema: "registry",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    EidId = table.Column<Guid>(type: "uuid", nullable: false),
                    Purpose = table.Column<int>(type: "integer", nullable: false),
                    Algorithm = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    WrappedPrivateKey = table.Column<byte[]>(type: "bytea", nullable: false),
                    SubjectPublicKeyInfo = table.Column<byte[]>(type: "bytea", nullable: false),
                    CertificateIssuer = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CertificateSerial = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RetiredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_eid_keys", x => x.Id);
                    table.ForeignKey(
                        name: "FK_eid_keys_eids_EidId",
                        column: x => x.EidId,
                        principalSchema: "registry",
                        principalTable: "eids",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "idempotency_keys",
                schema: "registry",
                columns: table => new
                {
                    CredentialId = table.Column<Guid>(type: "uuid", nullable: false),
                    Key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    RequestHash = table.Column<byte[]>(type: "bytea", nullable: false),
                    StatusCode = table.Column<int>(type: "integer", nullable: false),
                    ResponseBody = table.Column<string>(type: "text", nullable: false),
                    Location = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_idempotency_keys", x => new { x.CredentialId, x.Key });
                    table.ForeignKey(
                        name: "FK_idempotency_keys_api_credentials_CredentialId",
                        column: x => x.CredentialId,
                        principalSchema: "registry",
                        principalTable: "api_credentials",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_api_credentials_ServicePoint",
                schema: "registry",
                table: "api_credentials",
                column: "ServicePoint");

            migrationBuilder.CreateIndex(
                name: "IX_eid_keys_CertificateIssuer_CertificateSerial",
                schema: "registry",
                table: "eid_keys",
                columns: new[] { "CertificateIssuer", "CertificateSerial" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_eid_keys_EidId_Purpose",
                schema: "registry",
                table: "eid_keys",
                columns: new[] { "EidId", "Purpose" });

            migrationBuilder.CreateIndex(
                name: "IX_eids_DocumentNumber",
                schema: "registry",
                table: "eids",
                column: "DocumentNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_eids_PersonId",
                schema: "registry",
                table: "eids",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_eids_PersonId_current",
                schema: "registry",
                table: "eids",
                column: "PersonId",
                unique: true,
                filter: "\"Status\" <> 2");

            migrationBuilder.CreateIndex(
                name: "IX_enrolments_DocumentNumber",
                schema: "registry",
                table: "enrolments",
                column: "DocumentNumber");

            migrationBuilder.CreateIndex(
                name: "IX_enrolments_PersonId",
                schema: "registry",
                table: "enrolments",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_enrolments_Status_CreatedAt",
                schema: "registry",
                table: "enrolments",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_person_versions_PersonId_Version",
                schema: "registry",
                table: "person_versions",
                columns: new[] { "PersonId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_persons_DateOfBirth_SearchName",
                schema: "registry",
                table: "persons",
                columns: new[] { "DateOfBirth", "SearchName" });

            migrationBuilder.CreateIndex(
                name: "IX_persons_NationalId",
                schema: "registry",
                table: "persons",
                column: "NationalId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "eid_keys",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "enrolments",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "idempotency_keys",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "person_versions",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "eids",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "api_credentials",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "persons",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "service_points",
                schema: "registry");
        }
    }
}
