using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Upgrades;

namespace OnTrackio.Cli;

internal static class MigrateCommand
{
    public static Command Create(CliConsole console, Func<ServiceProvider> services)
    {
        var verify = new Option<bool>("--verify-history") { Description = "Read each workspace's own migration history instead of trusting the catalog's version" };
        var quiet = new Option<bool>("--quiet") { Description = "Print only failures and the summary" };
        var migrate = new Command("migrate", "Migrate the catalog, every server's template and every workspace.") { verify, quiet };
        migrate.Run(services, async (parsed, provider, ct) =>
        {
            var beQuiet = parsed.GetValue(quiet);
            var progress = new SynchronousProgress<WorkspaceMigrationProgress>(p =>
            {
                if (!beQuiet || p.Outcome == WorkspaceMigrationOutcome.Failed)
                {
                    var width = p.Total.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
                    var done = p.Done.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width);
                    console.Out.WriteLine($"[{done}/{p.Total}] {p.Slug}: {Describe(p)}");
                }
            });
            var report = await provider.GetRequiredService<MigrateEverything>().ExecuteAsync(parsed.GetValue(verify), progress, ct);
            foreach (var failure in report.Failures)
            {
                await console.Error.WriteLineAsync($"failed: {failure.Target}: {failure.Error}");
            }

            await console.Out.WriteLineAsync(
                $"{report.Total} workspace(s): {report.Upgraded} upgraded, {report.AlreadyCurrent} already current, {report.Failures.Count} failed ({report.Elapsed.TotalSeconds:F1} s)");
            return report.Succeeded ? OperatorCli.Succeeded : OperatorCli.Failed;
        });
        return migrate;
    }

    private static string Describe(WorkspaceMigrationProgress p) => p.Outcome switch
    {
        WorkspaceMigrationOutcome.Upgraded => "upgraded",
        WorkspaceMigrationOutcome.AlreadyCurrent => "already current",
        _ => $"FAILED: {p.Error}",
    };
}
