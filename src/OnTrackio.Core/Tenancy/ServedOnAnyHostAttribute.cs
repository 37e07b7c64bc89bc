namespace OnTrackio.Tenancy;

/// <summary>
/// Marks an endpoint that answers on any host without resolving a workspace (health probes, the domain challenge).
/// Such an endpoint must not touch workspace data: it has no <see cref="WorkspaceContext"/> to read.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class ServedOnAnyHostAttribute : Attribute;
