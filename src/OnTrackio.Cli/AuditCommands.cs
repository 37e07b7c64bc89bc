using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Audit;

namespace OnTrackio.Cli;

internal static class AuditCommands
{
    public static Command Create(CliConsole console, Func<ServiceProvider> services)
    {
        var verifySlug = new Argument<string>("slug") { Description = "The workspace whose audit chain to check" };
        var verify = new Command("verify", "Recompute a workspace's audit chain; exit 1 naming the first broken entry.") { verifySlug };
        verify.Run(services, async (parsed, provider, ct) =>
        {
            var clock = Stopwatch.StartNew();
            var result = await provider.GetRequiredService<VerifyAuditChain>().ExecuteAsync(parsed.GetValue(verifySlug)!, ct);
            var from = result.AnchorSequence is { } anchor ? $"from the purge anchor at sequence {anchor}" : "from genesis";
            var unchained = result.Unchained > 0 ? $"; {result.Unchained} older entries predate the chain (unchained, not checked)" : string.Empty;
            if (result.Break is { } broken)
            {
                await console.Error.WriteLineAsync(
                    $"BROKEN at sequence {broken.Sequence}{(broken.Id is { } id ? $" (id {id})" : string.Empty)}: {broken.Reason}");
                await console.Out.WriteLineAsync($"{result.Checked} entries valid {from} before the break{unchained}");
                return OperatorCli.Failed;
            }

            await console.Out.WriteLineAsync($"valid: {result.Checked} entries {from} in {clock.Elapsed.TotalSeconds:0.00} s{unchained}");
            return OperatorCli.Succeeded;
        });

        var purgeSlug = new Argument<string?>("slug") { Description = "Only this workspace; default: every workspace", Arity = ArgumentArity.ZeroOrOne };
        var purge = new Command("purge", "Remove audit entries older than each workspace's retention, leaving an anchor so the chain still verifies.") { purgeSlug };
        purge.Run(services, async (parsed, provider, ct) =>
        {
            foreach (var outcome in await provider.GetRequiredService<PurgeAuditLog>().ExecuteAsync(parsed.GetValue(purgeSlug), ct))
            {
                await console.Out.WriteLineAsync(outcome switch
                {
                    { Skipped: { } why } => $"{outcome.Slug}: skipped, {why}",
                    { AnchorSequence: { } anchor } => $"{outcome.Slug}: {outcome.EntriesPurged} entries purged, anchor at sequence {anchor}",
                    _ => $"{outcome.Slug}: nothing older than the retention",
                });
            }

            return OperatorCli.Succeeded;
        });

        return new Command("audit", "Workspace audit logs: verify the hash chain, purge expired entries.") { verify, purge };
    }
}
