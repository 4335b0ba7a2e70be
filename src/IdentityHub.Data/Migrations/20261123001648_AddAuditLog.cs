using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdentityHub.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddAuditLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "audit");

            migrationBuilder.CreateTable(
                name: "events",
                schema: "audit",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Actor = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Subject = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Details = table.Column<string>(type: "text", nullable: false),
                    PreviousHash = table.Column<byte[]>(type: "bytea", nullable: false),
                    Hash = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_events", x => x.Sequence);
                });

            migrationBuilder.CreateIndex(
                name: "IX_events_Type_At",
                schema: "audit",
                table: "events",
                columns: new[] { "Type", "At" });

            // Append-only in the database itself: only the table owner can switch this off, and the hash chain
            // still shows what such a person changed (hubctl audit verify).
            migrationBuilder.Sql("""
                CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'audit.events is append-only';
                END $$;
                CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON audit.events
                    FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
                CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON audit.events
                    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS events_no_truncate ON audit.events;
                DROP TRIGGER IF EXISTS events_append_only ON audit.events;
                DROP FUNCTION IF EXISTS audit.refuse_change();
                """);

            migrationBuilder.DropTable(
                name: "events",
                schema: "audit");
        }
    }
}
