namespace OnTrackio.Tests.Infrastructure;

public sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>Fails the test with what the CLI printed unless it exited 0.</summary>
    public CliResult ShouldSucceed()
    {
        Assert.True(ExitCode == 0, $"exit {ExitCode}\n{Output}\n{Error}");
        return this;
    }
}
