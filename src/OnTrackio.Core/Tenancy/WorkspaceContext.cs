namespace OnTrackio.Tenancy;

/// <summary>
/// The workspace of the current request, set once by <see cref="HostResolutionMiddleware"/> from the verified host.
/// Reading it anywhere else (a job, a request on an unresolved endpoint) throws instead of guessing.
/// </summary>
public sealed class WorkspaceContext
{
    private ResolvedWorkspace? _current;

    public bool IsResolved => _current is not null;

    public ResolvedWorkspace Current => _current ?? throw new InvalidOperationException(
        "No workspace is resolved for this scope. Workspace data is reachable only inside a request whose verified host " +
        "named a workspace, or from platform code that names the workspace explicitly.");

    internal void Resolve(ResolvedWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (_current is not null)
        {
            throw new InvalidOperationException("The workspace of a scope is set once.");
        }

        _current = workspace;
    }
}
