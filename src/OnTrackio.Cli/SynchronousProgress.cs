namespace OnTrackio.Cli;

/// <summary>Reports on the caller's thread of the report, unlike <see cref="Progress{T}"/>, so lines print in order.</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Lock _gate = new();

    public void Report(T value)
    {
        lock (_gate)
        {
            report(value);
        }
    }
}
