using Microsoft.EntityFrameworkCore;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Catalog;

/// <summary>
/// The catalog is the one database every customer shares, so what it may hold is an allow-list: a new column fails
/// this test until it is added here, in a change a reviewer reads. It holds no business record, no user email and no
/// credential (a database server's password lives in configuration; the verification token is a public challenge).
/// </summary>
public sealed class CatalogSchemaTests
{
    private static readonly string[] AllowedColumns =
    [
        "regions.id", "regions.display_name",
        "database_servers.id", "database_servers.name", "database_servers.region_id", "database_servers.host",
        "database_servers.port", "database_servers.username", "database_servers.created_at",
        "workspaces.id", "workspaces.slug", "workspaces.display_name", "workspaces.region_id", "workspaces.server_id",
        "workspaces.database_name", "workspaces.status", "workspaces.schema_version", "workspaces.created_at",
        "domains.hostname", "domains.workspace_id", "domains.verification_token", "domains.verified_at",
        "domains.is_primary", "domains.created_at",
        "change_counters.name", "change_counters.value",

        // Wrapped by a master key that is in no database; kept here, outside the workspace database, for crypto-erasure.
        "workspace_keys.workspace_id", "workspace_keys.version", "workspace_keys.master_key_id", "workspace_keys.wrapped_key",
        "workspace_keys.created_at",

        // The web hosts' shared cookie-protection key ring; each key's XML is encrypted with the master key.
        "data_protection_keys.id", "data_protection_keys.friendly_name", "data_protection_keys.xml",

        // EF Core's own bookkeeping.
        "__EFMigrationsHistory.MigrationId", "__EFMigrationsHistory.ProductVersion",
        "__EFMigrationsLock.Id", "__EFMigrationsLock.Timestamp",
    ];

    [Fact]
    public async Task CatalogColumns_OnPostgres_AreExactlyTheAllowList()
    {
        await using var platform = await TestPlatform.PostgresAsync();

        var columns = await TestCluster.A.QueryAsync<string>(platform.CatalogDatabase, """
            SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public'
            """);

        AssertAllowed(columns);
    }

    [Fact]
    public async Task CatalogColumns_OnSqlite_AreExactlyTheAllowList()
    {
        await using var platform = await TestPlatform.SqliteAsync();
        await using var catalog = platform.Catalog();

        var columns = await catalog.Database.SqlQueryRaw<string>("""
            SELECT m.name || '.' || p.name AS Value FROM sqlite_master m JOIN pragma_table_info(m.name) p
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
            """).ToListAsync(TestContext.Current.CancellationToken);

        AssertAllowed(columns);
    }

    [Fact]
    public void AllowList_NamesNothingThatLooksPersonalOrSecret() =>
        Assert.DoesNotContain(AllowedColumns, column =>
            column.Contains("email", StringComparison.OrdinalIgnoreCase)
            || column.Contains("password", StringComparison.OrdinalIgnoreCase)
            || column.Contains("secret", StringComparison.OrdinalIgnoreCase)
            || column.Contains("user", StringComparison.OrdinalIgnoreCase) && column != "database_servers.username");

    private static void AssertAllowed(IEnumerable<string> columns)
    {
        var actual = columns.ToHashSet(StringComparer.Ordinal);
        var unexpected = actual.Except(AllowedColumns).Order(StringComparer.Ordinal).ToList();
        Assert.True(unexpected.Count == 0, $"Catalog columns not on the allow-list: {string.Join(", ", unexpected)}");

        // Every business table of the allow-list exists (EF's lock table appears only on some engines).
        var missing = AllowedColumns.Where(c => !c.StartsWith("__", StringComparison.Ordinal)).Except(actual).ToList();
        Assert.True(missing.Count == 0, $"Allow-listed columns missing: {string.Join(", ", missing)}");
    }
}
