using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Identity;

/// <summary>Answers "is this session still live?" for a few seconds without a query; revocations here clear it at once.</summary>
public sealed class SessionCache : IDisposable
{
    /// <summary>How long another web host may keep honouring a session revoked elsewhere.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(15);

    internal MemoryCache Cache { get; } = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public void Dispose() => Cache.Dispose();
}

/// <summary>Server-side session records of the current workspace: started at sign-in, checked on each request, revocable.</summary>
public sealed class WorkspaceSessions(WorkspaceDbContext db, WorkspaceContext workspace, SessionCache cache, IHttpContextAccessor http, TimeProvider time)
{
    public const string ClaimType = "ontrackio:sid";

    public async Task<Guid> StartAsync(Guid userId, CancellationToken cancellationToken)
    {
        var origin = RequestOrigin.Of(http.HttpContext);
        var session = new UserSession
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            UserId = userId,
            CreatedAt = time.GetUtcNow(),
            IpAddress = origin.IpAddress,
            UserAgent = origin.UserAgent,
        };
        db.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session.Id;
    }

    public async Task<bool> IsActiveAsync(Guid sessionId, CancellationToken cancellationToken) =>
        await cache.Cache.GetOrCreateAsync(Key(sessionId), async entry =>
        {
            entry.SetSize(1).SetAbsoluteExpiration(SessionCache.Lifetime);
            return await db.Set<UserSession>().AnyAsync(s => s.Id == sessionId && s.RevokedAt == null, cancellationToken);
        });

    public Task<List<UserSession>> ListAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Set<UserSession>().AsNoTracking()
            .Where(s => s.UserId == userId && s.RevokedAt == null)
            .OrderByDescending(s => s.Id)
            .ToListAsync(cancellationToken);

    /// <summary>Ends the user's sessions, all or all but one; returns how many were live.</summary>
    public async Task<int> RevokeAsync(Guid userId, Guid? except, CancellationToken cancellationToken)
    {
        var ended = await RevokeLaterAsync(userId, except, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        Forget(ended);
        return ended.Count;
    }

    /// <summary>
    /// Marks the user's sessions ended in the caller's unit of work, so that they end in the same commit as the change
    /// that ends them (a lock, an email change). Call <see cref="Forget"/> with the result once that commit is done.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> RevokeLaterAsync(Guid userId, Guid? except, CancellationToken cancellationToken)
    {
        var live = await db.Set<UserSession>()
            .Where(s => s.UserId == userId && s.RevokedAt == null && s.Id != except)
            .ToListAsync(cancellationToken);
        foreach (var session in live)
        {
            session.RevokedAt = time.GetUtcNow();
        }

        return [.. live.Select(s => s.Id)];
    }

    /// <summary>
    /// Drops cached answers for sessions whose revocation is committed. After the commit, not before: a request
    /// between the two would otherwise re-read the session as live and cache that for <see cref="SessionCache.Lifetime"/>.
    /// </summary>
    public void Forget(IEnumerable<Guid> sessionIds)
    {
        ArgumentNullException.ThrowIfNull(sessionIds);
        foreach (var id in sessionIds)
        {
            cache.Cache.Remove(Key(id));
        }
    }

    /// <summary>Ends one session of the user (sign-out).</summary>
    public async Task EndAsync(Guid userId, Guid sessionId, CancellationToken cancellationToken)
    {
        await db.Set<UserSession>()
            .Where(s => s.Id == sessionId && s.UserId == userId && s.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.RevokedAt, time.GetUtcNow()), cancellationToken);
        cache.Cache.Remove(Key(sessionId));
    }

    private (Guid, Guid) Key(Guid sessionId) => (workspace.Current.Id, sessionId);
}
