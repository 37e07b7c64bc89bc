using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Identity.Sso;

/// <summary>What the workspace's SSO settings mean for the request at hand: is SSO offered, may this person use a password.</summary>
public sealed class SsoPolicy(WorkspaceDbContext db, UserManager<WorkspaceUser> users)
{
    private SsoConfiguration? _configuration;
    private bool _loaded;

    /// <summary>The workspace's row, read once per request; null when SSO was never configured.</summary>
    public async Task<SsoConfiguration?> ConfigurationAsync(CancellationToken cancellationToken)
    {
        if (!_loaded)
        {
            _configuration = await db.Set<SsoConfiguration>().AsNoTracking().SingleOrDefaultAsync(cancellationToken);
            _loaded = true;
        }

        return _configuration;
    }

    public async Task<bool> IsEnabledAsync(CancellationToken cancellationToken) =>
        (await ConfigurationAsync(cancellationToken))?.Enabled == true;

    /// <summary>
    /// False when SSO is required and this is not the break-glass Owner. Decided before any password is checked, so
    /// passwords of SSO-only accounts cannot be guessed (or locked out) through the form. Requiring SSO while it is
    /// disabled has no effect: a switched-off provider must not lock everyone out.
    /// </summary>
    public async Task<bool> AllowsPasswordAsync(WorkspaceUser? user, CancellationToken cancellationToken)
    {
        var configuration = await ConfigurationAsync(cancellationToken);
        if (configuration is not { Enabled: true, RequireSso: true })
        {
            return true;
        }

        // The break-glass account keeps its password only while it is still an Owner (roles can change after saving).
        return user is not null && user.Id == configuration.BreakGlassUserId && await users.IsInRoleAsync(user, WorkspaceRoles.Owner);
    }

    public async Task<bool> AllowsPasswordAsync(string? email, CancellationToken cancellationToken) =>
        await ConfigurationAsync(cancellationToken) is not { Enabled: true, RequireSso: true }
        || await AllowsPasswordAsync(await users.FindByEmailAsync(email ?? string.Empty), cancellationToken);
}
