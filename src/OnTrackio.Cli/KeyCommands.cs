using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Encryption;

namespace OnTrackio.Cli;

internal static class KeyCommands
{
    public static Command Create(CliConsole console, Func<ServiceProvider> services)
    {
        var workspace = new Option<string?>("--workspace") { Description = "Only this workspace (slug); default: every workspace" };
        var rotate = new Command("rotate", "New data key version per workspace, older versions rewrapped by the active master key, encrypted values re-encrypted.") { workspace };
        rotate.Run(services, async (parsed, provider, ct) =>
        {
            var report = await provider.GetRequiredService<RotateKeys>().ExecuteAsync(parsed.GetValue(workspace), new SynchronousProgress<string>(console.Out.WriteLine), ct);
            foreach (var failure in report.Failures)
            {
                await console.Error.WriteLineAsync($"failed: {failure.Target}: {failure.Error}");
            }

            await console.Out.WriteLineAsync(
                $"{report.Workspaces} workspace(s): {report.ValuesReencrypted} value(s) re-encrypted, {report.KeysRewrapped} key version(s) rewrapped, {report.Failures.Count} failed");
            return report.Succeeded ? OperatorCli.Succeeded : OperatorCli.Failed;
        });

        return new Command("keys", "Workspace data keys: rotation and rewrapping.") { rotate };
    }
}
