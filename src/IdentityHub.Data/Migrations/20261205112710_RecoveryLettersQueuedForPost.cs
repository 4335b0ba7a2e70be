using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdentityHub.Data.Migrations
{
    /// <inheritdoc />
    public partial class RecoveryLettersQueuedForPost : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PrintedAt",
                schema: "accounts",
                table: "recovery_letters",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_recovery_letters_one_queued_per_account",
                schema: "accounts",
                table: "recovery_letters",
                column: "AccountId",
                unique: true,
                filter: "\"PrintedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_recovery_letters_one_queued_per_account",
                schema: "accounts",
                table: "recovery_letters");

            migrationBuilder.DropColumn(
                name: "PrintedAt",
                schema: "accounts",
                table: "recovery_letters");
        }
    }
}
