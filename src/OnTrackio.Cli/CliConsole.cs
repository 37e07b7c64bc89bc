namespace OnTrackio.Cli;

/// <summary>Where the CLI writes and reads, so tests run it in-process with their own writers.</summary>
public sealed class CliConsole(TextWriter output, TextWriter error, TextReader input)
{
    public TextWriter Out => output;

    public TextWriter Error => error;

    /// <summary>Asks the operator to type <paramref name="expected"/>; false on anything else or on end of input.</summary>
    public async Task<bool> ConfirmAsync(string prompt, string expected)
    {
        await error.WriteAsync(prompt);
        var answer = await input.ReadLineAsync();
        return string.Equals(answer?.Trim(), expected, StringComparison.Ordinal);
    }
}
