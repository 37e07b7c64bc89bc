using Npgsql;
using OnTrackio.Catalog;

namespace OnTrackio.Databases;

/// <summary>
/// Builds every PostgreSQL connection the platform makes, so that credentials (from configuration, by server name)
/// and the TLS policy are applied in exactly one place.
/// </summary>
internal sealed class PostgresConnections(PostgresEngineOptions options)
{
    public const string MaintenanceDatabase = "postgres";

    public NpgsqlDataSource BuildCatalogDataSource()
    {
        if (string.IsNullOrWhiteSpace(options.CatalogConnectionString))
        {
            throw new InvalidOperationException(
                "OnTrackio:Database:Postgres:CatalogConnectionString is not set; the PostgreSQL engine needs a catalog database.");
        }

        var builder = new NpgsqlConnectionStringBuilder(options.CatalogConnectionString);
        ApplyPolicy(builder);
        return Build(builder);
    }

    public NpgsqlDataSource BuildDataSource(DatabaseServer server, string database, Action<NpgsqlConnectionStringBuilder>? configure = null)
    {
        var builder = ConnectionString(server, database);
        configure?.Invoke(builder);
        return Build(builder);
    }

    public NpgsqlConnectionStringBuilder ConnectionString(DatabaseServer server, string database)
    {
        ArgumentNullException.ThrowIfNull(server);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = server.Host,
            Port = server.Port,
            Username = server.Username,
            Database = database,
            ApplicationName = "ontrackio",
        };
        if (options.ServerPasswords.TryGetValue(server.Name, out var password))
        {
            builder.Password = password;
        }

        ApplyPolicy(builder);
        return builder;
    }

    private NpgsqlDataSource Build(NpgsqlConnectionStringBuilder builder)
    {
        var dataSourceBuilder = new NpgsqlDataSourceBuilder(builder.ConnectionString);

        // The platform maps no PostgreSQL enums, ranges or extension types, so skipping Npgsql's per-data-source type
        // loading is safe; it saves a catalog query on each cold workspace and memory for every warm one.
        dataSourceBuilder.ConfigureTypeLoading(typeLoading => typeLoading.EnableTypeLoading(false));
        if (options.RequireTls && options.RootCertificate is { Length: > 0 } root)
        {
            dataSourceBuilder.UseRootCertificateCallback(() => System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(root));
        }

        return dataSourceBuilder.Build();
    }

    private void ApplyPolicy(NpgsqlConnectionStringBuilder builder)
    {
        if (options.RequireTls)
        {
            builder.SslMode = SslMode.VerifyFull;
        }
    }
}
