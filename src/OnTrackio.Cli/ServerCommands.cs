using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Catalog;
using OnTrackio.Provisioning;

namespace OnTrackio.Cli;

internal static class ServerCommands
{
    public static Command Create(CliConsole console, Func<ServiceProvider> services)
    {
        var name = new Option<string>("--name") { Description = "Server name; its password is configured as OnTrackio:Database:Postgres:ServerPasswords:<name>", Required = true };
        var region = new Option<string>("--region") { Description = "Residency region", Required = true };
        var connection = new Option<string>("--connection") { Description = "Npgsql connection string without password, e.g. \"Host=db1;Port=5432;Username=ontrackio\"", Required = true };
        var add = new Command("add", "Register a PostgreSQL server in a region and prepare its template database.") { name, region, connection };
        add.Run(services, async (parsed, provider, ct) =>
        {
            var server = await provider.GetRequiredService<AddDatabaseServer>().ExecuteAsync(
                new AddDatabaseServerRequest(parsed.GetValue(name), parsed.GetValue(region), parsed.GetValue(connection)), ct);
            await console.Out.WriteLineAsync($"Registered server '{server.Name}' ({server.Host}:{server.Port}) in {server.RegionId}; its template is ready.");
            return OperatorCli.Succeeded;
        });

        var list = new Command("list", "List database servers and how many workspaces each holds.");
        list.Run(services, async (_, provider, ct) =>
        {
            var catalog = provider.GetRequiredService<CatalogDbContext>();
            var servers = await catalog.DatabaseServers
                .Select(s => new { s.Name, s.RegionId, s.Host, s.Port, Workspaces = catalog.Workspaces.Count(w => w.ServerId == s.Id) })
                .ToListAsync(ct);
            await console.Out.WriteLineAsync($"{"NAME",-20} {"REGION",-14} {"ADDRESS",-30} WORKSPACES");
            foreach (var s in servers.OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                await console.Out.WriteLineAsync($"{s.Name,-20} {s.RegionId,-14} {s.Host + ":" + s.Port,-30} {s.Workspaces}");
            }

            return OperatorCli.Succeeded;
        });

        return new Command("server", "Register and list database servers.") { add, list };
    }
}
