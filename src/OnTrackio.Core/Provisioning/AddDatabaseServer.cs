using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OnTrackio.Catalog;
using OnTrackio.Databases;

namespace OnTrackio.Provisioning;

public sealed record AddDatabaseServerRequest(string? Name, string? Region, string? Connection);

/// <summary>
/// Registers a PostgreSQL server in a region: checks that the platform can reach it, prepares its template database,
/// then records where it is. The catalog never stores a password: supply it as configuration
/// <c>OnTrackio:Database:Postgres:ServerPasswords:&lt;name&gt;</c> (or a passfile), not in the connection string.
/// </summary>
public sealed partial class AddDatabaseServer(IDatabaseEngine engine, CatalogDbContext catalog, TimeProvider time)
{
    public async Task<DatabaseServer> ExecuteAsync(AddDatabaseServerRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (engine.Kind != DatabaseEngineKind.Postgres)
        {
            throw new OperationRefusedException("The embedded SQLite engine has one built-in server; database servers can be added only with the PostgreSQL engine.");
        }

        if (string.IsNullOrWhiteSpace(request.Name) || !ServerName().IsMatch(request.Name))
        {
            throw new OperationRefusedException($"'{request.Name}' is not a valid server name: use 1 to 63 lower-case letters, digits and hyphens.");
        }

        var region = await ServerPlacement.RegionAsync(catalog, request.Region, cancellationToken);
        var connection = Parse(request.Connection);
        if (await catalog.DatabaseServers.AnyAsync(s => s.Name == request.Name, cancellationToken))
        {
            throw new OperationRefusedException($"A database server named '{request.Name}' is already registered.");
        }

        var host = connection.Host!;
        var port = connection.Port;
        if (await catalog.DatabaseServers.AnyAsync(s => s.Host == host && s.Port == port, cancellationToken))
        {
            throw new OperationRefusedException($"The server at {host}:{port} is already registered.");
        }

        var server = new DatabaseServer
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            Name = request.Name,
            RegionId = region.Id,
            Host = host,
            Port = port,
            Username = connection.Username!,
            CreatedAt = time.GetUtcNow(),
        };
        await engine.CheckServerAsync(server, cancellationToken);
        await engine.PrepareTemplateAsync(server, cancellationToken);
        catalog.DatabaseServers.Add(server);
        await catalog.SaveChangesAsync(cancellationToken);
        return server;
    }

    private static NpgsqlConnectionStringBuilder Parse(string? connection)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connection);
        }
        catch (ArgumentException ex)
        {
            throw new OperationRefusedException($"The connection string is not valid: {ex.Message}");
        }

        if (!string.IsNullOrEmpty(builder.Password))
        {
            throw new OperationRefusedException(
                "The connection string contains a password, and the catalog never stores credentials. Remove it and set " +
                "OnTrackio:Database:Postgres:ServerPasswords:<name> in configuration (or use a passfile).");
        }

        if (string.IsNullOrWhiteSpace(builder.Host) || builder.Host.Contains(',', StringComparison.Ordinal))
        {
            throw new OperationRefusedException("The connection string must name exactly one Host.");
        }

        if (string.IsNullOrWhiteSpace(builder.Username))
        {
            throw new OperationRefusedException("The connection string must name a Username (a role allowed to create databases).");
        }

        return builder;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex ServerName();
}
