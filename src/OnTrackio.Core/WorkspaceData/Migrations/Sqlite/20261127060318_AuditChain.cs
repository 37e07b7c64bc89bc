using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OnTrackio.WorkspaceData.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "changes",
                table: "audit_events",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "entity_id",
                table: "audit_events",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "entity_type",
                table: "audit_events",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "hash",
                table: "audit_events",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "previous_hash",
                table: "audit_events",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "sequence",
                table: "audit_events",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "audit_anchors",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    purged_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    entries_purged = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_anchors", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "audit_chain_head",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_chain_head", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "audit_retention",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    days = table.Column<int>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_retention", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_entity_type_entity_id_id",
                table: "audit_events",
                columns: new[] { "entity_type", "entity_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_sequence",
                table: "audit_events",
                column: "sequence",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_anchors");

            migrationBuilder.DropTable(
                name: "audit_chain_head");

            migrationBuilder.DropTable(
                name: "audit_retention");

            migrationBuilder.DropIndex(
                name: "IX_audit_events_entity_type_entity_id_id",
                table: "audit_events");

            migrationBuilder.DropIndex(
                name: "IX_audit_events_sequence",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "changes",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "entity_id",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "entity_type",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "hash",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "previous_hash",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "sequence",
                table: "audit_events");
        }
    }
}
