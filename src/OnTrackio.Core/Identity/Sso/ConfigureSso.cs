using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OnTrackio.Audit;
using OnTrackio.Secrets;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Identity.Sso;

/// <summary>What the settings form sends. A blank <see cref="ClientSecret"/> keeps the stored one.</summary>
public sealed record ConfigureSsoRequest(
    bool Enabled,
    string? Authority,
    string? ClientId,
    string? ClientSecret,
    string? AllowedEmailDomains,
    bool JustInTimeCreation,
    bool RequireSso,
    Guid? BreakGlassUserId,
    int ExpectedRevision);

/// <summary>What the settings page shows: the row (or defaults), whether a secret is stored, and who can be break-glass.</summary>
public sealed record SsoSettings(SsoConfiguration Configuration, bool ClientSecretSet, IReadOnlyList<WorkspaceUser> Owners);

/// <summary>
/// Saves the workspace's SSO settings and client secret in one transaction, refusing input that would not work or
/// would lock the workspace out. Each save bumps <see cref="SsoConfiguration.Revision"/>, which every web host compares
/// with the options it cached, and which refuses a save made from a form that someone else has saved meanwhile.
/// </summary>
public sealed class ConfigureSso(
    WorkspaceDbContext db, WorkspaceSecrets secrets, UserManager<WorkspaceUser> users, AuditTrail audit, IOptions<SsoOptions> options, TimeProvider time)
{
    public const int MaxClientSecretLength = 2000;

    public async Task<SsoSettings> ReadAsync(CancellationToken cancellationToken)
    {
        var configuration = await db.Set<SsoConfiguration>().AsNoTracking().SingleOrDefaultAsync(cancellationToken)
            ?? new SsoConfiguration { Authority = string.Empty, ClientId = string.Empty };
        var secretSet = await db.Set<WorkspaceSecret>().AnyAsync(s => s.Name == SsoConfiguration.ClientSecretName, cancellationToken);
        var owners = (await users.GetUsersInRoleAsync(WorkspaceRoles.Owner)).OrderBy(u => u.Email, StringComparer.Ordinal).ToList();
        return new SsoSettings(configuration, secretSet, owners);
    }

    public async Task ExecuteAsync(ConfigureSsoRequest request, WorkspaceUser actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var problems = new List<string>();
        var authority = request.Authority?.Trim() ?? string.Empty;
        if (authority.Length > 0)
        {
            if (SsoAuthority.TryParse(authority, options.Value.AllowLoopbackHttpAuthority, out var parsed, out var error))
            {
                authority = parsed.AbsoluteUri;
            }
            else
            {
                problems.Add(error);
            }
        }
        else if (request.Enabled)
        {
            problems.Add("Enter the authority (issuer URL) of your identity provider.");
        }

        var clientId = request.ClientId?.Trim() ?? string.Empty;
        if (clientId.Length > 200)
        {
            problems.Add("The client id is longer than 200 characters.");
        }
        else if (clientId.Length == 0 && request.Enabled)
        {
            problems.Add("Enter the client id that your identity provider issued for OnTrackio.");
        }

        // Secrets are taken verbatim: providers issue them with any characters, and a trimmed secret fails later, unexplained.
        var newSecret = string.IsNullOrEmpty(request.ClientSecret) ? null : request.ClientSecret;
        if (newSecret?.Length > MaxClientSecretLength)
        {
            problems.Add($"The client secret is longer than {MaxClientSecretLength} characters.");
        }
        else if (newSecret is null && request.Enabled && !await db.Set<WorkspaceSecret>().AnyAsync(s => s.Name == SsoConfiguration.ClientSecretName, cancellationToken))
        {
            problems.Add("Enter the client secret: none is stored yet.");
        }

        if (!SsoEmailDomains.TryParse(request.AllowedEmailDomains, out var domains, out var domainError))
        {
            problems.Add(domainError);
        }
        else if (domains.Length == 0 && request.Enabled)
        {
            problems.Add("Enter at least one allowed email domain: with none, nobody could sign in.");
        }

        WorkspaceUser? breakGlass = null;
        if (request.BreakGlassUserId is { } breakGlassId)
        {
            breakGlass = await users.FindByIdAsync(breakGlassId.ToString());
            if (breakGlass is null || !await users.IsInRoleAsync(breakGlass, WorkspaceRoles.Owner))
            {
                problems.Add("The break-glass account must be an Owner of this workspace.");
            }
        }

        if (request.RequireSso && !request.Enabled)
        {
            problems.Add("Single sign-on can be required only while it is enabled.");
        }
        else if (request.RequireSso && request.BreakGlassUserId is null)
        {
            problems.Add("Choose a break-glass Owner before requiring single sign-on, so that the workspace stays reachable if the provider fails.");
        }

        if (problems.Count > 0)
        {
            throw new OperationRefusedException(string.Join(" ", problems));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = await db.Set<SsoConfiguration>().SingleOrDefaultAsync(cancellationToken);
        if ((row?.Revision ?? 0) != request.ExpectedRevision)
        {
            throw ChangedMeanwhile();
        }

        var inserted = row is null;
        if (row is null)
        {
            row = new SsoConfiguration { Authority = authority, ClientId = clientId };
            db.Add(row);
        }

        row.Enabled = request.Enabled;
        row.Authority = authority;
        row.ClientId = clientId;
        row.AllowedEmailDomains = domains;
        row.JustInTimeCreation = request.JustInTimeCreation;
        row.RequireSso = request.RequireSso;
        row.BreakGlassUserId = request.BreakGlassUserId;
        row.Revision = request.ExpectedRevision + 1;
        row.UpdatedAt = time.GetUtcNow();
        audit.Add(AuditEventType.SsoConfigurationChanged, actor.Id, actor.Email, Describe(row, breakGlass, newSecret is not null));
        try
        {
            // The secret's save carries the row and the audit entry with it; all of it commits or none does.
            if (newSecret is not null)
            {
                await secrets.SetAsync(SsoConfiguration.ClientSecretName, newSecret, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || inserted)
        {
            // A concurrency conflict on the revision, or two first saves racing to insert the single row.
            throw ChangedMeanwhile();
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static OperationRefusedException ChangedMeanwhile() =>
        new("Someone else changed the single sign-on settings meanwhile. Reload the page to see their change, then save again.");

    /// <summary>What changed, for the audit log: every setting but the secret, of which only the fact that it changed.</summary>
    private static string Describe(SsoConfiguration row, WorkspaceUser? breakGlass, bool secretChanged)
    {
        var text = string.Join(
            "; ",
            row.Enabled ? "enabled" : "disabled",
            $"authority {row.Authority}",
            $"client id {row.ClientId}",
            $"domains {row.AllowedEmailDomains}",
            row.JustInTimeCreation ? "JIT on" : "JIT off",
            row.RequireSso ? "SSO required" : "SSO optional",
            $"break-glass {breakGlass?.Email ?? "none"}",
            secretChanged ? "client secret replaced" : "client secret kept");
        return text.Length <= 500 ? text : text[..500];
    }
}
