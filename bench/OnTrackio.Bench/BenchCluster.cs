using Npgsql;

namespace OnTrackio.Bench;

/// <summary>
/// The PostgreSQL cluster the figures are taken on (cluster A of <c>scripts/pg-clusters.sh</c>), and the platform
/// settings that point at it.
/// </summary>
internal sealed class BenchCluster
{
    public const string EnvironmentVariable = "ONTRACKIO_TEST_PG_A";
    public const string ServerName = "bench";
    public const string CatalogDatabase = "ontrackio_bench_catalog";

    private readonly NpgsqlConnectionStringBuilder _connection;

    private BenchCluster(NpgsqlConnectionStringBuilder connection) => _connection = connection;

    /// <summary>The maintenance database, unpooled: the benchmark's own connections must not linger into the load runs.</summary>
    public string AdminConnectionString => With(builder =>
    {
        builder.Database = "postgres";
        builder.Pooling = false;
    });

    /// <summary>The server as an operator registers it: no password and no database, which the catalog refuses to keep.</summary>
    public string ServerConnectionString => With(builder =>
    {
        builder.Password = null;
        builder.Database = null;
    });

    public static BenchCluster FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. Run the benchmark through scripts/bench, which starts a throwaway PostgreSQL cluster.");
        }

        return new BenchCluster(new NpgsqlConnectionStringBuilder(value));
    }

    /// <summary>The platform's database configuration for this cluster, with <c>:</c>-separated keys.</summary>
    /// <summary>The same settings reach the web host process, so both share one master key for this run.</summary>
    public Dictionary<string, string?> PlatformSettings() => new()
    {
        ["OnTrackio:Database:Engine"] = "Postgres",
        ["OnTrackio:Database:Postgres:CatalogConnectionString"] = With(builder => builder.Database = CatalogDatabase),
        ["OnTrackio:Database:Postgres:ServerPasswords:" + ServerName] = _connection.Password,
        ["OnTrackio:Encryption:MasterKeys:bench"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["OnTrackio:Encryption:ActiveMasterKeyId"] = "bench",
    };

    /// <summary>Drops what an earlier run left (catalog, template, workspace databases) and creates an empty catalog.</summary>
    public async Task ResetAsync(string templateDatabase, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        var leftovers = new List<string>();
        await using (var command = new NpgsqlCommand(@"SELECT datname FROM pg_database WHERE datname LIKE 'ws\_%' OR datname = ANY($1)", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = new[] { CatalogDatabase, templateDatabase } });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                leftovers.Add(reader.GetString(0));
            }
        }

        foreach (var database in leftovers)
        {
            await ExecuteAsync(connection, $"DROP DATABASE {Quote(database)} WITH (FORCE)", cancellationToken);
        }

        await ExecuteAsync(connection, $"CREATE DATABASE {Quote(CatalogDatabase)}", cancellationToken);
    }

    /// <summary>The server's version and connection limit, for the report.</summary>
    public async Task<string> DescribeAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SHOW max_connections", connection);
        var maxConnections = await command.ExecuteScalarAsync(cancellationToken);
        return $"PostgreSQL {connection.ServerVersion} on {_connection.Host}:{_connection.Port}, max_connections {maxConnections}";
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private string With(Action<NpgsqlConnectionStringBuilder> change)
    {
        var builder = new NpgsqlConnectionStringBuilder(_connection.ConnectionString);
        change(builder);
        return builder.ConnectionString;
    }
}
