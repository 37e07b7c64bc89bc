using System.ComponentModel.DataAnnotations;

namespace OnTrackio.Databases;

/// <summary>Which engine holds the catalog and the workspace databases, and how to reach them.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "OnTrackio:Database";

    public DatabaseEngineKind Engine { get; set; } = DatabaseEngineKind.Sqlite;
}

/// <summary>Bound from <c>OnTrackio:Database:Sqlite</c>.</summary>

public sealed class SqliteEngineOptions
{
    /// <summary>
    /// Folder for <c>catalog.db</c>, <c>template.db</c> and <c>workspaces/*.db</c>. Unset: <c>~/.local/share/ontrackio</c>,
    /// so the web host and the CLI find the same files wherever they are started; relative paths are taken from the
    /// current directory.
    /// </summary>
    public string? DataDirectory { get; set; }

    public string ResolvedDataDirectory => Path.GetFullPath(string.IsNullOrWhiteSpace(DataDirectory)
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "ontrackio")
        : DataDirectory);
}

/// <summary>Bound from <c>OnTrackio:Database:Postgres</c>.</summary>
public sealed class PostgresEngineOptions
{
    /// <summary>The catalog database. It may carry a password: configuration is not a database.</summary>
    public string? CatalogConnectionString { get; set; }

    /// <summary>Passwords of the registered database servers, by server name. The catalog never stores them.</summary>
    public Dictionary<string, string> ServerPasswords { get; set; } = [];

    /// <summary>Require TLS with a verified certificate on every connection (production turns this on).</summary>
    public bool RequireTls { get; set; }

    /// <summary>PEM file of the CA that signs the database servers' certificates, when not in the system store.</summary>
    public string? RootCertificate { get; set; }

    /// <summary>The migrated database that new workspace databases are copied from, one per server.</summary>
    [Required, RegularExpression("^[a-z_][a-z0-9_]{0,62}$")]
    public string TemplateDatabase { get; set; } = "ontrackio_template";

    /// <summary>Most physical connections one workspace database may hold in this process.</summary>
    [Range(1, 100)]
    public int PoolSizePerWorkspace { get; set; } = 4;

    /// <summary>Most physical connections this process opens to workspace databases on one server. With several hosts,
    /// keep (hosts × budget) under the server's <c>max_connections</c>.</summary>
    [Range(1, 10_000)]
    public int ConnectionBudgetPerServer { get; set; } = 80;

    /// <summary>How long a slot freed by clearing an idle pool stays unused, while PostgreSQL's backend exits.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan EvictionDrainTime { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a workspace's data source may sit unused before it is disposed.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan IdleDataSourceLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a request waits for a connection when the server budget is exhausted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ConnectionWaitTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
