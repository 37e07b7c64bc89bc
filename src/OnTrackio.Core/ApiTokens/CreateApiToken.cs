using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.ApiTokens;

/// <summary>
/// What a new token is to be: a name, one or more scopes, and how many days it lives (required, at most the
/// workspace's longest). <see cref="Service"/> makes a service token, tied to no person.
/// </summary>
public sealed record CreateApiTokenRequest(string? Name, IReadOnlyList<string>? Scopes, int? ExpiresInDays, bool Service = false);

/// <summary>
/// Creates a token and returns it once: the database keeps its id, the SHA-256 of its secret and its last four
/// characters. A personal token's scopes must lie within its creator's role as it is now (and will be cut back to the
/// role as it is at each use); a service token's within an Admin's. Audited as <see cref="AuditEventType.TokenCreated"/>.
/// </summary>
public sealed class CreateApiToken(WorkspaceDbContext db, AuditTrail audit, ApiTokenQueries queries, TimeProvider time)
{
    public async Task<CreatedApiToken> ExecuteAsync(
        CreateApiTokenRequest request, Guid creatorId, bool mayCreateServiceTokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Service && !mayCreateServiceTokens)
        {
            throw new OperationRefusedException("Only Owners and Admins create service tokens.");
        }

        var check = new InputCheck();
        var name = check.Text(request.Name, "Name", ApiTokenLimits.NameLength, required: true);
        var maxDays = await queries.MaxLifetimeDaysAsync(cancellationToken);
        if (request.ExpiresInDays is not { } days)
        {
            check.Fail($"Expiry is required: choose how many days the token lives, at most {maxDays}.", "Expiry");
            days = 0;
        }
        else if (days < 1 || days > maxDays)
        {
            check.Fail($"Expiry must be from 1 to {maxDays} days (the longest this workspace allows).", "Expiry");
        }

        var roles = request.Service
            ? ApiTokenScopes.ServiceTokenRoles
            : await db.UserRoles.Where(link => link.UserId == creatorId)
                .Join(db.Roles, link => link.RoleId, role => role.Id, (_, role) => role.Name!).ToListAsync(cancellationToken);
        var scopes = CheckScopes(request.Scopes, roles, request.Service, check);
        check.ThrowIfInvalid();

        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var (token, secret) = ApiTokenFormat.Issue(id);
        var entity = new ApiToken
        {
            Id = id,
            Name = name!,
            OwnerUserId = request.Service ? null : creatorId,
            CreatedByUserId = creatorId,
            SecretHash = ApiTokenFormat.Hash(secret),
            LastFour = token[^4..],
            Scopes = ApiTokenScopes.Format(scopes),
            CreatedAt = now,
            ExpiresAt = now.AddDays(days),
        };
        db.Add(entity);
        var ownerEmail = request.Service ? null : await db.Users.Where(u => u.Id == creatorId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        audit.AddChange(AuditEventType.TokenCreated, ApiTokenAudit.EntityType, id.ToString(),
        [
            new FieldChange("name", null, entity.Name),
            new FieldChange("kind", null, request.Service ? "service" : "personal"),
            new FieldChange("owner", null, ownerEmail),
            new FieldChange("scopes", null, entity.Scopes),
            new FieldChange("expiresAt", null, entity.ExpiresAt.ToString("O", CultureInfo.InvariantCulture)),
        ], subject: request.Service ? $"service token \"{entity.Name}\"" : $"token \"{entity.Name}\"");
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiToken(token, ApiTokenQueries.View(entity, ownerEmail, now));
    }

    private static List<string> CheckScopes(IReadOnlyList<string>? requested, IReadOnlyCollection<string> roles, bool service, InputCheck check)
    {
        var names = (requested ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            check.Fail($"Choose at least one scope: {string.Join(", ", ApiTokenScopes.All.Select(s => s.Name))}.", "Scopes");
        }

        var granted = new List<string>();
        foreach (var name in names)
        {
            if (!ApiTokenScopes.TryGet(name, out var scope))
            {
                check.Fail($"'{name}' is not a scope; the scopes are {string.Join(", ", ApiTokenScopes.All.Select(s => s.Name))}.", "Scopes");
            }
            else if (!ApiTokenScopes.IsWithin(scope, roles))
            {
                check.Fail(service
                    ? $"A service token cannot have '{name}'."
                    : $"Your role does not allow '{name}', so a token of yours cannot have it.", "Scopes");
            }
            else
            {
                granted.Add(name);
            }
        }

        // In the catalogue's order, so that equal grants read alike in lists and in the audit log.
        return [.. ApiTokenScopes.All.Select(s => s.Name).Where(granted.Contains)];
    }
}

internal static class ApiTokenAudit
{
    public const string EntityType = "api_token";
}
