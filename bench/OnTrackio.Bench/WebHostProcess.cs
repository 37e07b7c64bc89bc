using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OnTrackio.Bench;

/// <summary>Resident memory of a process, from <c>/proc/&lt;pid&gt;/status</c>.</summary>
internal sealed record ProcessMemory(long ResidentBytes, long PeakResidentBytes);

/// <summary>
/// The web host, started as its own process from the build output so that its memory is measured alone. It is
/// configured only through environment variables, as a deployment would configure it, and killed on dispose.
/// </summary>
internal sealed class WebHostProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 40;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private WebHostProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    /// <summary>Starts the host with the given configuration (<c>:</c>-separated keys) and waits until it answers.</summary>
    public static async Task<WebHostProcess> StartAsync(
        IEnumerable<KeyValuePair<string, string?>> settings, TimeSpan startTimeout, CancellationToken cancellationToken)
    {
        var assembly = Path.Combine(AppContext.BaseDirectory, "OnTrackio.Web.dll");
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException("The web host is not in the benchmark's build output; build bench/OnTrackio.Bench.", assembly);
        }

        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet")
        {
            // The host's content root is its working directory: the folder with its appsettings.json.
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Urls"] = url;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (SourceWebRoot(assembly) is { } webRoot)
        {
            // The build output has no wwwroot (a publish would); without one the host warns and serves no static files.
            start.Environment["ASPNETCORE_WEBROOT"] = webRoot;
        }

        foreach (var (key, value) in settings)
        {
            if (value is not null)
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The web host process could not be started.");
        var host = new WebHostProcess(process, new Uri(url));
        try
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await host.WaitUntilAliveAsync(startTimeout, cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public ProcessMemory ReadMemory()
    {
        long resident = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                resident = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line);
            }
        }

        return new ProcessMemory(resident * 1024, peak * 1024);
    }

    /// <summary>The host's last lines of console output (warnings and errors only, at the configured log level).</summary>
    public IReadOnlyList<string> RecentOutput() => [.. _output];

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task WaitUntilAliveAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The web host exited with code {_process.ExitCode} before answering.{Lines()}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(BaseAddress, "/healthz"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        throw new TimeoutException($"The web host did not answer /healthz within {timeout.TotalSeconds:0} s.{Lines()}");
    }

    private string Lines() => _output.IsEmpty ? string.Empty : Environment.NewLine + string.Join(Environment.NewLine, _output);

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptOutputLines && _output.TryDequeue(out _))
        {
        }
    }

    private static string? SourceWebRoot(string assembly)
    {
        for (var folder = new DirectoryInfo(Path.GetDirectoryName(assembly)!); folder is not null; folder = folder.Parent)
        {
            var webRoot = Path.Combine(folder.FullName, "src", "OnTrackio.Web", "wwwroot");
            if (File.Exists(Path.Combine(folder.FullName, "OnTrackio.slnx")) && Directory.Exists(webRoot))
            {
                return webRoot;
            }
        }

        return null;
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', '\t').Where(part => part.Length > 0).ElementAt(1), NumberStyles.None, CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
