using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;

namespace OnTrackio.Cli;

/// <summary>Runs a command's body in a fresh DI scope of a platform built for this one invocation.</summary>
internal static class CommandAction
{
    public static void Run(this Command command, Func<ServiceProvider> services, Func<ParseResult, IServiceProvider, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var provider = services();
            await using var scope = provider.CreateAsyncScope();
            return await body(parseResult, scope.ServiceProvider, cancellationToken);
        });
}
