using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using OnTrackio.Catalog;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Databases;

// Used only by `dotnet ef migrations add`: no database is contacted, so the connection strings are placeholders.

internal sealed class PostgresCatalogDesignFactory : IDesignTimeDbContextFactory<PostgresCatalogDbContext>
{
    public PostgresCatalogDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresCatalogDbContext>().UseNpgsql("Host=design-time").Options);
}

internal sealed class SqliteCatalogDesignFactory : IDesignTimeDbContextFactory<SqliteCatalogDbContext>
{
    public SqliteCatalogDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteCatalogDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class PostgresWorkspaceDesignFactory : IDesignTimeDbContextFactory<PostgresWorkspaceDbContext>
{
    public PostgresWorkspaceDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresWorkspaceDbContext>().UseNpgsql("Host=design-time").Options);
}

internal sealed class SqliteWorkspaceDesignFactory : IDesignTimeDbContextFactory<SqliteWorkspaceDbContext>
{
    public SqliteWorkspaceDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteWorkspaceDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
