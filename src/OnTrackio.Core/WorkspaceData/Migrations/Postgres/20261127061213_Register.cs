using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace OnTrackio.WorkspaceData.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Register : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "asset_tag_sequence",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    next_number = table.Column<long>(type: "bigint", nullable: false),
                    digits = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_asset_tag_sequence", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "categories",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_categories", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "departments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_departments", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "locations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    parent_id = table.Column<Guid>(type: "uuid", nullable: true),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_locations", x => x.id);
                    table.ForeignKey(
                        name: "FK_locations_locations_parent_id",
                        column: x => x.parent_id,
                        principalTable: "locations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "manufacturers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_manufacturers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "status_labels",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_status_labels", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "suppliers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_suppliers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "people",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    employee_number = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    department_id = table.Column<Guid>(type: "uuid", nullable: true),
                    manager_id = table.Column<Guid>(type: "uuid", nullable: true),
                    location_id = table.Column<Guid>(type: "uuid", nullable: true),
                    start_date = table.Column<DateOnly>(type: "date", nullable: true),
                    leave_date = table.Column<DateOnly>(type: "date", nullable: true),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_people", x => x.id);
                    table.ForeignKey(
                        name: "FK_people_departments_department_id",
                        column: x => x.department_id,
                        principalTable: "departments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_people_locations_location_id",
                        column: x => x.location_id,
                        principalTable: "locations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_people_people_manager_id",
                        column: x => x.manager_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_people_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "asset_models",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    category_id = table.Column<Guid>(type: "uuid", nullable: false),
                    manufacturer_id = table.Column<Guid>(type: "uuid", nullable: true),
                    model_number = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    end_of_life_months = table.Column<int>(type: "integer", nullable: true),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_asset_models", x => x.id);
                    table.ForeignKey(
                        name: "FK_asset_models_categories_category_id",
                        column: x => x.category_id,
                        principalTable: "categories",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_asset_models_manufacturers_manufacturer_id",
                        column: x => x.manufacturer_id,
                        principalTable: "manufacturers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "assets",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tag = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    serial = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    model_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status_label_id = table.Column<Guid>(type: "uuid", nullable: false),
                    location_id = table.Column<Guid>(type: "uuid", nullable: true),
                    supplier_id = table.Column<Guid>(type: "uuid", nullable: true),
                    purchase_date = table.Column<DateOnly>(type: "date", nullable: true),
                    cost = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: true),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: true),
                    order_number = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    warranty_end = table.Column<DateOnly>(type: "date", nullable: true),
                    notes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    assigned_person_id = table.Column<Guid>(type: "uuid", nullable: true),
                    assigned_location_id = table.Column<Guid>(type: "uuid", nullable: true),
                    assigned_asset_id = table.Column<Guid>(type: "uuid", nullable: true),
                    checked_out_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    expected_check_in = table.Column<DateOnly>(type: "date", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assets", x => x.id);
                    table.ForeignKey(
                        name: "FK_assets_asset_models_model_id",
                        column: x => x.model_id,
                        principalTable: "asset_models",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_assets_assets_assigned_asset_id",
                        column: x => x.assigned_asset_id,
                        principalTable: "assets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_assets_locations_assigned_location_id",
                        column: x => x.assigned_location_id,
                        principalTable: "locations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_assets_locations_location_id",
                        column: x => x.location_id,
                        principalTable: "locations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_assets_people_assigned_person_id",
                        column: x => x.assigned_person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_assets_status_labels_status_label_id",
                        column: x => x.status_label_id,
                        principalTable: "status_labels",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_assets_suppliers_supplier_id",
                        column: x => x.supplier_id,
                        principalTable: "suppliers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "asset_history",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    asset_id = table.Column<Guid>(type: "uuid", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    detail = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    actor_label = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_asset_history", x => x.id);
                    table.ForeignKey(
                        name: "FK_asset_history_assets_asset_id",
                        column: x => x.asset_id,
                        principalTable: "assets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "asset_tag_sequence",
                columns: new[] { "id", "digits", "next_number", "prefix" },
                values: new object[] { "asset", 6, 1L, "A-" });

            migrationBuilder.InsertData(
                table: "categories",
                columns: new[] { "id", "name" },
                values: new object[,]
                {
                    { new Guid("0193b000-0000-7000-8000-000000000201"), "Laptops" },
                    { new Guid("0193b000-0000-7000-8000-000000000202"), "Desktops" },
                    { new Guid("0193b000-0000-7000-8000-000000000203"), "Monitors" },
                    { new Guid("0193b000-0000-7000-8000-000000000204"), "Phones" },
                    { new Guid("0193b000-0000-7000-8000-000000000205"), "Tablets" },
                    { new Guid("0193b000-0000-7000-8000-000000000206"), "Peripherals" }
                });

            migrationBuilder.InsertData(
                table: "status_labels",
                columns: new[] { "id", "kind", "name" },
                values: new object[,]
                {
                    { new Guid("0193b000-0000-7000-8000-000000000101"), "Deployable", "Ready to deploy" },
                    { new Guid("0193b000-0000-7000-8000-000000000102"), "Pending", "Pending" },
                    { new Guid("0193b000-0000-7000-8000-000000000103"), "Archived", "Archived" },
                    { new Guid("0193b000-0000-7000-8000-000000000104"), "Undeployable", "Broken" },
                    { new Guid("0193b000-0000-7000-8000-000000000105"), "Undeployable", "In repair" }
                });

            migrationBuilder.CreateIndex(
                name: "IX_asset_history_asset_id_id",
                table: "asset_history",
                columns: new[] { "asset_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_asset_models_category_id",
                table: "asset_models",
                column: "category_id");

            migrationBuilder.CreateIndex(
                name: "IX_asset_models_manufacturer_id",
                table: "asset_models",
                column: "manufacturer_id");

            migrationBuilder.CreateIndex(
                name: "IX_asset_models_name",
                table: "asset_models",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_assets_assigned_asset_id",
                table: "assets",
                column: "assigned_asset_id");

            migrationBuilder.CreateIndex(
                name: "IX_assets_assigned_location_id",
                table: "assets",
                column: "assigned_location_id");

            migrationBuilder.CreateIndex(
                name: "IX_assets_deleted_at",
                table: "assets",
                column: "deleted_at");

            migrationBuilder.CreateIndex(
                name: "ix_assets_live_location_tag",
                table: "assets",
                columns: new[] { "location_id", "tag" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_assets_live_model_tag",
                table: "assets",
                columns: new[] { "model_id", "tag" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_assets_live_person_tag",
                table: "assets",
                columns: new[] { "assigned_person_id", "tag" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_assets_live_status_tag",
                table: "assets",
                columns: new[] { "status_label_id", "tag" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_assets_serial",
                table: "assets",
                column: "serial");

            migrationBuilder.CreateIndex(
                name: "IX_assets_supplier_id",
                table: "assets",
                column: "supplier_id");

            migrationBuilder.CreateIndex(
                name: "IX_assets_tag",
                table: "assets",
                column: "tag",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_categories_name",
                table: "categories",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_departments_name",
                table: "departments",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_locations_name",
                table: "locations",
                column: "name");

            migrationBuilder.CreateIndex(
                name: "IX_locations_parent_id_name",
                table: "locations",
                columns: new[] { "parent_id", "name" });

            migrationBuilder.CreateIndex(
                name: "IX_manufacturers_name",
                table: "manufacturers",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_people_department_id",
                table: "people",
                column: "department_id");

            migrationBuilder.CreateIndex(
                name: "IX_people_email",
                table: "people",
                column: "email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_people_employee_number",
                table: "people",
                column: "employee_number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_people_location_id",
                table: "people",
                column: "location_id");

            migrationBuilder.CreateIndex(
                name: "IX_people_manager_id",
                table: "people",
                column: "manager_id");

            migrationBuilder.CreateIndex(
                name: "IX_people_name",
                table: "people",
                column: "name");

            migrationBuilder.CreateIndex(
                name: "IX_people_user_id",
                table: "people",
                column: "user_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_status_labels_name",
                table: "status_labels",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_suppliers_name",
                table: "suppliers",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "asset_history");

            migrationBuilder.DropTable(
                name: "asset_tag_sequence");

            migrationBuilder.DropTable(
                name: "assets");

            migrationBuilder.DropTable(
                name: "asset_models");

            migrationBuilder.DropTable(
                name: "people");

            migrationBuilder.DropTable(
                name: "status_labels");

            migrationBuilder.DropTable(
                name: "suppliers");

            migrationBuilder.DropTable(
                name: "categories");

            migrationBuilder.DropTable(
                name: "manufacturers");

            migrationBuilder.DropTable(
                name: "departments");

            migrationBuilder.DropTable(
                name: "locations");
        }
    }
}
