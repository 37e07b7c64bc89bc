namespace OnTrackio.Databases;

public enum DatabaseEngineKind
{
    /// <summary>The embedded default: one SQLite file per workspace and one for the catalog, under a data folder.</summary>
    Sqlite,

    /// <summary>Production: one PostgreSQL database per workspace, many workspaces per server, many servers per region.</summary>
    Postgres,
}
