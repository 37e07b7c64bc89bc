using OnTrackio.Bench;

BenchOptions? options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"bench: {ex.Message}{Environment.NewLine}{BenchOptions.Usage}");
    return 2;
}

if (options is null)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Cancel instead of dying, so that the web host process is stopped on the way out.
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
    var report = await Benchmark.RunAsync(options, Console.Error, cancellation.Token);
    report.WriteTo(Console.Out);
    return 0;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("bench: cancelled");
    return 130;
}
catch (Exception ex)
{
    // Missed targets are figures, not failures: only a benchmark that could not run exits non-zero.
    await Console.Error.WriteLineAsync($"bench: could not run: {ex}");
    return 1;
}
