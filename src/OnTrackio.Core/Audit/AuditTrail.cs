using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using OnTrackio.ApiTokens;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Audit;

/// <summary>
/// Writes audit events into the current workspace's database. <see cref="Add"/> joins the caller's unit of work, so
/// the event commits or rolls back with the change it records; <see cref="RecordAsync"/> saves at once, for events
/// that change nothing else (a failed sign-in).
/// </summary>
public sealed class AuditTrail(WorkspaceDbContext db, IHttpContextAccessor http, TimeProvider time)
{
    public void Add(AuditEventType type, Guid? actorId, string? actorLabel, string? subject = null) =>
        db.Add(Entry(type, actorId is null && actorLabel is null ? "system" : "user", actorId, actorLabel, subject));

    /// <summary>
    /// Records a change to an entity of the register, acted by the signed-in person, in the caller's unit of work (so
    /// the entry commits or rolls back with the change).
    /// </summary>
    /// <remarks>
    /// Work done outside the request that asked for it (an import committed by a background job) has no signed-in
    /// person to read; it names its <paramref name="actor"/> instead, taken from the request that started it.
    /// </remarks>
    public void AddChange(
        AuditEventType type, string entityType, string entityId, IReadOnlyList<FieldChange>? changes = null, string? subject = null, AuditActor? actor = null) =>
        db.Add(ChangeEntry(type, entityType, entityId, changes, subject, actor));

    /// <summary>The entry <see cref="AddChange"/> adds, built but not added (see <c>AssetRecord.Entries</c>).</summary>
    internal AuditEvent ChangeEntry(
        AuditEventType type, string entityType, string entityId, IReadOnlyList<FieldChange>? changes = null, string? subject = null, AuditActor? actor = null)
    {
        actor ??= CurrentActor();
        var serialized = changes is { Count: > 0 } ? FieldChange.ToJson(changes) : null;
        return Entry(type, actor.Type, actor.Id, actor.Label, subject, entityType, entityId, serialized, actor.Origin);
    }

    /// <summary>
    /// Who acts on the current request — the signed-in person, or the API token it was made with (its id, and a label
    /// naming the token and its owner) — and where the request came from.
    /// </summary>
    public AuditActor CurrentActor()
    {
        var user = http.HttpContext?.User;
        var origin = RequestOrigin.Of(http.HttpContext);
        if (ApiTokenPrincipal.Actor(user) is { } token)
        {
            return new AuditActor(token.TokenId, token.Label, origin.IpAddress, origin.UserAgent) { Type = token.ActorType, UserId = token.OwnerUserId };
        }

        var actorId = Guid.TryParse(user?.FindFirst(ClaimTypes.NameIdentifier)?.Value, out var id) ? id : (Guid?)null;
        return new AuditActor(actorId, user?.FindFirst(ClaimTypes.Email)?.Value ?? user?.Identity?.Name, origin.IpAddress, origin.UserAgent);
    }

    public async Task RecordAsync(AuditEventType type, Guid? actorId, string? actorLabel, string? subject, CancellationToken cancellationToken)
    {
        Add(type, actorId, actorLabel, subject);
        await db.SaveChangesAsync(cancellationToken);
    }

    private AuditEvent Entry(
        AuditEventType type, string actorType, Guid? actorId, string? actorLabel, string? subject,
        string? entityType = null, string? entityId = null, string? changes = null, RequestOrigin? from = null)
    {
        var origin = from ?? RequestOrigin.Of(http.HttpContext);
        return new AuditEvent
        {
            // As the chain stores it (whole microseconds, UTC), so an entry written in bulk can be linked as built.
            OccurredAt = AuditChainHasher.Normalise(time.GetUtcNow()),
            Type = type,
            ActorType = actorType,
            ActorId = actorId,
            ActorLabel = actorLabel,
            Subject = subject,
            IpAddress = origin.IpAddress,
            UserAgent = origin.UserAgent,
            EntityType = entityType,
            EntityId = entityId,
            Changes = changes,
        };
    }
}

/// <summary>
/// Who did something, and from where: the signed-in person of a request (or the API token it came with), carried to
/// work done on their behalf later.
/// </summary>
public sealed record AuditActor(Guid? Id, string? Label, string? IpAddress = null, string? UserAgent = null)
{
    /// <summary>The entry's actor type: "user", "system" (no actor), "token" or "service_token" (<see cref="Id"/> is then the token's).</summary>
    public string Type { get; init; } = Id is null ? "system" : "user";

    /// <summary>The person behind the actor: the user, or a personal token's owner; null for the system and service tokens.</summary>
    public Guid? UserId { get; init; } = Id;

    internal RequestOrigin Origin => new(IpAddress, UserAgent);
}
