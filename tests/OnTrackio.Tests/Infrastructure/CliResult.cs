namespace OnTrackio.Tests.Infrastructure;

public sealed record CliResult(int ExitCode, string Output, string Error);
