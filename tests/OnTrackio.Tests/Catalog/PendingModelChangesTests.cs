using Microsoft.EntityFrameworkCore;
using OnTrackio.Catalog;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Tests.Catalog;

/// <summary>A model change without a migration for each engine fails here, not in production.</summary>
public sealed class PendingModelChangesTests
{
    public static TheoryData<string> Contexts() => ["catalog/postgres", "catalog/sqlite", "workspace/postgres", "workspace/sqlite"];

    [Theory]
    [MemberData(nameof(Contexts))]
    public void Model_HasNoChangesThatAMigrationDoesNotCapture(string context)
    {
        using DbContext db = context switch
        {
            "catalog/postgres" => new PostgresCatalogDbContext(new DbContextOptionsBuilder<PostgresCatalogDbContext>().UseNpgsql().Options),
            "catalog/sqlite" => new SqliteCatalogDbContext(new DbContextOptionsBuilder<SqliteCatalogDbContext>().UseSqlite().Options),
            "workspace/postgres" => new PostgresWorkspaceDbContext(new DbContextOptionsBuilder<PostgresWorkspaceDbContext>().UseNpgsql().Options),
            _ => new SqliteWorkspaceDbContext(new DbContextOptionsBuilder<SqliteWorkspaceDbContext>().UseSqlite().Options),
        };

        Assert.False(db.Database.HasPendingModelChanges(), $"{context}: add a migration for this engine (see README, 'Changing the model').");
    }
}
