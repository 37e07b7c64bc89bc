using Npgsql;

namespace OnTrackio.Tests.Infrastructure;

/// <summary>
/// One of the throwaway PostgreSQL clusters that <c>scripts/test</c> starts: A speaks plain TCP, B accepts only TLS
/// with a certificate from a test CA. Tests fail (they do not skip) when the clusters are missing.
/// </summary>
public sealed class TestCluster
{
    private TestCluster(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value))
        {
            throw new InvalidOperationException(
                $"{variable} is not set. Run the tests with scripts/test, which starts the PostgreSQL clusters they need.");
        }

        Builder = new NpgsqlConnectionStringBuilder(value);
        RequiresTls = variable.EndsWith("_B", StringComparison.Ordinal);
    }

    public static TestCluster A { get; } = new("ONTRACKIO_TEST_PG_A");

    public static TestCluster B { get; } = new("ONTRACKIO_TEST_PG_B");

    public static string CaCertificatePath => Environment.GetEnvironmentVariable("ONTRACKIO_TEST_PG_CA")
        ?? throw new InvalidOperationException("ONTRACKIO_TEST_PG_CA is not set. Run the tests with scripts/test.");

    public NpgsqlConnectionStringBuilder Builder { get; }

    public bool RequiresTls { get; }

    public string Password => Builder.Password!;

    /// <summary>What <c>ontrackio server add --connection</c> takes: no password.</summary>
    public string ConnectionWithoutPassword => $"Host={Builder.Host};Port={Builder.Port};Username={Builder.Username}";

    public string ConnectionString(string database)
    {
        var builder = new NpgsqlConnectionStringBuilder(Builder.ConnectionString) { Database = database, Pooling = false };
        if (RequiresTls)
        {
            builder.SslMode = SslMode.VerifyFull;
            builder.RootCertificate = CaCertificatePath;
        }

        return builder.ConnectionString;
    }

    public async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<List<T>> QueryAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetFieldValue<T>(0));
        }

        return rows;
    }

    public async Task<HashSet<string>> DatabasesAsync() =>
        [.. await QueryAsync<string>("postgres", "SELECT datname FROM pg_database")];
}
