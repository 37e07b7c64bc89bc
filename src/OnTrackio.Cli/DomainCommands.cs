using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Domains;

namespace OnTrackio.Cli;

internal static class DomainCommands
{
    public static Command Create(CliConsole console, Func<ServiceProvider> services)
    {
        var slug = new Argument<string>("slug") { Description = "The workspace" };
        var hostname = new Argument<string>("hostname") { Description = "e.g. assets.acme.example" };
        var add = new Command("add", "Register a custom hostname for a workspace; it routes once verified.") { slug, hostname };
        add.Run(services, async (parsed, provider, ct) =>
        {
            var pending = await provider.GetRequiredService<AddDomain>().ExecuteAsync(parsed.GetValue(slug)!, parsed.GetValue(hostname), ct);
            await console.Out.WriteLineAsync($"""
                Added {pending.Hostname} to '{pending.Slug}', not yet verified. Prove control with either:
                  DNS:  a TXT record at {pending.DnsRecord} with the value {pending.VerificationToken}
                  HTTP: point {pending.Hostname} at the platform; it then serves http://{pending.Hostname}{pending.HttpPath}
                Then run: ontrackio domain verify {pending.Hostname}
                """);
            return OperatorCli.Succeeded;
        });

        var verifyHost = new Argument<string>("hostname");
        var method = new Option<DomainVerificationMethod>("--method") { Description = "any (DNS, then HTTP), dns or http", DefaultValueFactory = _ => DomainVerificationMethod.Any };
        var verify = new Command("verify", "Check a pending hostname's challenge and start routing it.") { verifyHost, method };
        verify.Run(services, async (parsed, provider, ct) =>
        {
            var domain = await provider.GetRequiredService<VerifyDomain>().ExecuteAsync(parsed.GetValue(verifyHost), parsed.GetValue(method), ct);
            await console.Out.WriteLineAsync($"{domain.Hostname} is verified ({domain.VerifiedAt:u}) and routes to its workspace.");
            return OperatorCli.Succeeded;
        });

        var removeHost = new Argument<string>("hostname");
        var remove = new Command("remove", "Stop routing a custom hostname and forget it.") { removeHost };
        remove.Run(services, async (parsed, provider, ct) =>
        {
            await provider.GetRequiredService<RemoveDomain>().ExecuteAsync(parsed.GetValue(removeHost), ct);
            await console.Out.WriteLineAsync($"Removed {parsed.GetValue(removeHost)}.");
            return OperatorCli.Succeeded;
        });

        return new Command("domain", "Add, verify and remove custom hostnames.") { add, verify, remove };
    }
}
