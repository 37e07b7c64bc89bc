using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OnTrackio.Hosting;

namespace OnTrackio.Cli;

/// <summary>
/// <c>ontrackio</c>: the operator's command line. Exit codes: 0 done; 1 failed (the platform could not finish, for
/// example a workspace that would not migrate); 2 refused (bad input, a name taken, a missing server; nothing changed).
/// </summary>
public static class OperatorCli
{
    public const int Succeeded = 0;
    public const int Failed = 1;
    public const int Refused = 2;

    /// <summary>Runs one command. <paramref name="configuration"/> is layered over appsettings.json and environment variables (tests use it).</summary>
    public static async Task<int> RunAsync(
        string[] args, TextWriter output, TextWriter error, TextReader input, IReadOnlyDictionary<string, string?>? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        var console = new CliConsole(output, error, input);
        var root = new RootCommand("OnTrackio operator CLI: workspaces, domains, database servers, migrations and keys.")
        {
            WorkspaceCommands.Create(console, () => BuildServices(configuration)),
            DomainCommands.Create(console, () => BuildServices(configuration)),
            ServerCommands.Create(console, () => BuildServices(configuration)),
            MigrateCommand.Create(console, () => BuildServices(configuration)),
            KeyCommands.Create(console, () => BuildServices(configuration)),
            AuditCommands.Create(console, () => BuildServices(configuration)),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}");
            }

            await error.WriteLineAsync("Run 'ontrackio --help' for usage.");
            return Refused;
        }

        try
        {
            // Exceptions propagate to the handlers below, which print a sentence rather than a stack trace.
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (OperationRefusedException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return Refused;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await error.WriteLineAsync($"error: {ex.GetBaseException().Message}");
            return Failed;
        }
    }

    private static ServiceProvider BuildServices(IReadOnlyDictionary<string, string?>? overrides)
    {
        var settings = new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = true,
            EnvironmentName = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
                ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
                ?? Environments.Production,
        };
        var builder = Host.CreateApplicationBuilder(settings);
        builder.Configuration
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{builder.Environment.EnvironmentName}.json", optional: true)
            .AddEnvironmentVariables();
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddOnTrackioPlatform();
        return builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
