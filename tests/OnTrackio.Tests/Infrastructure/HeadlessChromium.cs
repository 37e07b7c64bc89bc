using System.Diagnostics;

namespace OnTrackio.Tests.Infrastructure;

/// <summary>Debian's Chromium, headless, as the real browser for UI tests. Installed by scripts/install-prerequisites.</summary>
public static class HeadlessChromium
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    /// <summary>Also used by <see cref="ChromiumBrowser"/>. CI runs as root, where Chromium starts only without its sandbox.</summary>
    internal static readonly string[] Flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"];

    public static string Executable =>
        Candidates.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("Chromium is not installed. Run the tests with scripts/test, which installs it.");

    /// <summary>Loads <paramref name="url"/> and returns the DOM after scripts ran. Chromium resolves <c>*.localhost</c> to loopback itself.</summary>
    public static async Task<string> DumpDomAsync(string url)
    {
        var profile = Directory.CreateTempSubdirectory("ontrackio-chromium-");
        try
        {
            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in Flags.Append($"--user-data-dir={profile.FullName}").Append("--dump-dom").Append(url))
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}: {await error}");
            return await output;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
