using System.Globalization;
using Npgsql;

namespace OnTrackio.Bench;

/// <summary>
/// CPU time spent by the web host and by the PostgreSQL cluster, from <c>/proc</c>. The machine may be shared: a
/// wall-clock figure taken while other work runs says little alone, the CPU seconds each side used say what it cost.
/// </summary>
internal sealed class CpuTime(int hostPid, int postmasterPid)
{
    /// <summary>Linux reports times in clock ticks, 100 a second on every kernel configuration in use.</summary>
    private const double TicksPerSecond = 100;

    public static async Task<CpuTime> OpenAsync(int hostPid, string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new CpuTime(hostPid, Stat(backend)!.Value.ParentPid);
    }

    public (TimeSpan Host, TimeSpan Database) Read()
    {
        var host = Stat(hostPid) is { } h ? h.Own : 0;

        // The postmaster's own time, its reaped children's (exited backends), and every live child's.
        var database = Stat(postmasterPid) is { } p ? p.Own + p.Children : 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Stat(pid) is { } child && child.ParentPid == postmasterPid)
            {
                database += child.Own;
            }
        }

        return (TimeSpan.FromSeconds(host / TicksPerSecond), TimeSpan.FromSeconds(database / TicksPerSecond));
    }

    private static (int ParentPid, long Own, long Children)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name is in parentheses and may hold spaces; the fields after it are plain.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], NumberStyles.None, CultureInfo.InvariantCulture);
        return ((int)Field(4), Field(14) + Field(15), Field(16) + Field(17));
    }
}
