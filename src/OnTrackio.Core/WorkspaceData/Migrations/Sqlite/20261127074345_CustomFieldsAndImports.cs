using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OnTrackio.WorkspaceData.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CustomFieldsAndImports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "field_set_id",
                table: "categories",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "field_set_id",
                table: "asset_models",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "custom_field_sets",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_custom_field_sets", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "custom_fields",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    options = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: true),
                    required = table.Column<bool>(type: "INTEGER", nullable: false),
                    help_text = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_custom_fields", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "import_jobs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    file_name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    file_size = table.Column<long>(type: "INTEGER", nullable: false),
                    content = table.Column<byte[]>(type: "BLOB", nullable: true),
                    encoding = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    delimiter = table.Column<string>(type: "TEXT", maxLength: 4, nullable: true),
                    total_rows = table.Column<int>(type: "INTEGER", nullable: false),
                    processed_rows = table.Column<int>(type: "INTEGER", nullable: false),
                    create_count = table.Column<int>(type: "INTEGER", nullable: false),
                    update_count = table.Column<int>(type: "INTEGER", nullable: false),
                    reject_count = table.Column<int>(type: "INTEGER", nullable: false),
                    errors = table.Column<string>(type: "TEXT", nullable: true),
                    failure = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    created_by_user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_import_jobs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "asset_field_values",
                columns: table => new
                {
                    asset_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    field_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    value = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_asset_field_values", x => new { x.asset_id, x.field_id });
                    table.ForeignKey(
                        name: "FK_asset_field_values_assets_asset_id",
                        column: x => x.asset_id,
                        principalTable: "assets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_asset_field_values_custom_fields_field_id",
                        column: x => x.field_id,
                        principalTable: "custom_fields",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "custom_field_set_members",
                columns: table => new
                {
                    set_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    field_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    position = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_custom_field_set_members", x => new { x.set_id, x.field_id });
                    table.ForeignKey(
                        name: "FK_custom_field_set_members_custom_field_sets_set_id",
                        column: x => x.set_id,
                        principalTable: "custom_field_sets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_custom_field_set_members_custom_fields_field_id",
                        column: x => x.field_id,
                        principalTable: "custom_fields",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.UpdateData(
                table: "categories",
                keyColumn: "id",
                keyValue: new Guid("0193b000-0000-7000-8000-000000000201"),
                column: "field_set_id",
                value: null);

            migrationBuilder.UpdateData(
                table: "categories",
                keyColumn: "id",
                keyValue: new Guid("0193b000-0000-7000-8000-000000000202"),
                column: "field_set_id",
                value: null);

            migrationBuilder.UpdateData(
                table: "categories",
                keyColumn: "id",
                keyValue: new Guid("0193b000-0000-7000-8000-000000000203"),
                column: "field_set_id",
                value: null);

            migrationBuilder.UpdateData(
                table: "categories",
                keyColumn: "id",
                keyValue: new Guid("0193b000-0000-7000-8000-000000000204"),
                column: "field_set_id",
                value: null);

            migrationBuilder.UpdateData(
                table: "categories",
                keyColumn: "id",
                keyValue: new Guid("0193b000-0000-7000-8000-000000000205"),
                column: "field_set_id",
                value: null);

            migrationBuilder.UpdateData(
                table: "categories",
                keyColumn: "id",
                keyValue: new Guid("0193b000-0000-7000-8000-000000000206"),
                column: "field_set_id",
                value: null);

            migrationBuilder.CreateIndex(
                name: "IX_categories_field_set_id",
                table: "categories",
                column: "field_set_id");

            migrationBuilder.CreateIndex(
                name: "ix_assets_live_name_tag",
                table: "assets",
                columns: new[] { "name", "tag" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_assets_live_purchased_tag",
                table: "assets",
                columns: new[] { "purchase_date", "tag" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_assets_live_updated_tag",
                table: "assets",
                columns: new[] { "updated_at", "tag" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_assets_live_warranty_tag",
                table: "assets",
                columns: new[] { "warranty_end", "tag" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_asset_models_field_set_id",
                table: "asset_models",
                column: "field_set_id");

            migrationBuilder.CreateIndex(
                name: "IX_asset_field_values_field_id_value_asset_id",
                table: "asset_field_values",
                columns: new[] { "field_id", "value", "asset_id" });

            migrationBuilder.CreateIndex(
                name: "IX_custom_field_set_members_field_id",
                table: "custom_field_set_members",
                column: "field_id");

            migrationBuilder.CreateIndex(
                name: "IX_custom_field_sets_name",
                table: "custom_field_sets",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_custom_fields_name",
                table: "custom_fields",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_import_jobs_created_at",
                table: "import_jobs",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_import_jobs_status",
                table: "import_jobs",
                column: "status");

            migrationBuilder.AddForeignKey(
                name: "FK_asset_models_custom_field_sets_field_set_id",
                table: "asset_models",
                column: "field_set_id",
                principalTable: "custom_field_sets",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_categories_custom_field_sets_field_set_id",
                table: "categories",
                column: "field_set_id",
                principalTable: "custom_field_sets",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_asset_models_custom_field_sets_field_set_id",
                table: "asset_models");

            migrationBuilder.DropForeignKey(
                name: "FK_categories_custom_field_sets_field_set_id",
                table: "categories");

            migrationBuilder.DropTable(
                name: "asset_field_values");

            migrationBuilder.DropTable(
                name: "custom_field_set_members");

            migrationBuilder.DropTable(
                name: "import_jobs");

            migrationBuilder.DropTable(
                name: "custom_field_sets");

            migrationBuilder.DropTable(
                name: "custom_fields");

            migrationBuilder.DropIndex(
                name: "IX_categories_field_set_id",
                table: "categories");

            migrationBuilder.DropIndex(
                name: "ix_assets_live_name_tag",
                table: "assets");

            migrationBuilder.DropIndex(
                name: "ix_assets_live_purchased_tag",
                table: "assets");

            migrationBuilder.DropIndex(
                name: "ix_assets_live_updated_tag",
                table: "assets");

            migrationBuilder.DropIndex(
                name: "ix_assets_live_warranty_tag",
                table: "assets");

            migrationBuilder.DropIndex(
                name: "IX_asset_models_field_set_id",
                table: "asset_models");

            migrationBuilder.DropColumn(
                name: "field_set_id",
                table: "categories");

            migrationBuilder.DropColumn(
                name: "field_set_id",
                table: "asset_models");
        }
    }
}
