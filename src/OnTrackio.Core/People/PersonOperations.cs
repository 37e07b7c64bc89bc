using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Assets;
using OnTrackio.Audit;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.People;

/// <summary>
/// A person as the API and pages show them. <c>Leaving</c> is computed at read time: they have left, or leave within
/// <see cref="Leavers.NoticeDays"/> days.
/// </summary>
public sealed record PersonView(
    Guid Id, string Name, string? Email, string? EmployeeNumber, Guid? DepartmentId, string? DepartmentName, Guid? ManagerId,
    Guid? LocationId, DateOnly? StartDate, DateOnly? LeaveDate, Guid? UserId, int AssetsHeld,
    string? ManagerName = null, string? LocationName = null, bool Leaving = false);

public sealed record PersonPage(IReadOnlyList<PersonView> Items, string? NextCursor);

/// <summary>The directory's search and page, shared by <c>GET /api/v1/people</c> and the /people page.</summary>
public sealed class PeopleFilter
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Matches the start of the name or email, or the whole employee number (case-insensitive).</summary>
    public string? Q { get; set; }

    /// <summary>Opaque: the <see cref="PersonPage.NextCursor"/> of the previous page.</summary>
    public string? Cursor { get; set; }

    public int? Limit { get; set; }
}

/// <summary>Reads the directory of this workspace.</summary>
public sealed class PeopleQueries(WorkspaceDbContext db, TimeProvider time)
{
    public const int MaxResults = 200;

    /// <summary>The first <see cref="MaxResults"/> by name, for choice lists (check-out, manager); the directory itself pages.</summary>
    public async Task<IReadOnlyList<PersonView>> ListAsync(string? q, CancellationToken cancellationToken) =>
        await Project(Searched(q).OrderBy(p => p.Name).ThenBy(p => p.Id).Take(MaxResults)).ToListAsync(cancellationToken);

    /// <summary>
    /// One page by name, then id (names repeat), continuing after the cursor's (name, id): keyset pagination, so no one
    /// is skipped or shown twice when people are added between pages, and a deep page costs what the first does.
    /// </summary>
    public async Task<PersonPage> PageAsync(PeopleFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var limit = Math.Clamp(filter.Limit ?? PeopleFilter.DefaultLimit, 1, PeopleFilter.MaxLimit);
        var people = Searched(filter.Q);
        if (DecodeCursor(filter.Cursor) is var (name, id))
        {
            // SQL comparisons in the database's collation, the one ORDER BY uses (no overload with a comparison translates).
#pragma warning disable CA1309
            people = people.Where(p => string.Compare(p.Name, name) > 0 || (p.Name == name && p.Id.CompareTo(id) > 0));
#pragma warning restore CA1309
        }

        var rows = await Project(people.OrderBy(p => p.Name).ThenBy(p => p.Id).Take(limit + 1)).ToListAsync(cancellationToken);
        var next = rows.Count > limit ? EncodeCursor(rows[limit - 1].Name, rows[limit - 1].Id) : null;
        return new PersonPage(rows.Count > limit ? rows[..limit] : rows, next);
    }

    public async Task<PersonView> GetAsync(Guid id, CancellationToken cancellationToken) =>
        await Project(db.Set<Person>().AsNoTracking().Where(p => p.Id == id)).SingleOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException("This workspace has no person with that id.");

    private IQueryable<Person> Searched(string? q)
    {
        var people = db.Set<Person>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim().ToLowerInvariant();
            var number = q.Trim();

            // Translated to SQL lower() and LIKE; the analyzers' culture overloads have no translation.
#pragma warning disable CA1304, CA1311, CA1862
            people = people.Where(p => p.Name.ToLower().StartsWith(term) || (p.Email != null && p.Email.StartsWith(term)) || p.EmployeeNumber == number);
#pragma warning restore CA1304, CA1311, CA1862
        }

        return people;
    }

    private static string EncodeCursor(string name, Guid id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id:N}{name}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (string Name, Guid Id)? DecodeCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        var base64 = cursor.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            if (text.Length >= 32 && Guid.TryParseExact(text[..32], "N", out var id))
            {
                return (text[32..], id);
            }
        }
        catch (FormatException)
        {
        }

        throw new OperationRefusedException("The cursor is not one this list issued; start again from the first page.");
    }

    private IQueryable<PersonView> Project(IQueryable<Person> people)
    {
        var leavingBy = Leavers.Horizon(Leavers.Today(time));
        return people.Select(p => new PersonView(
            p.Id, p.Name, p.Email, p.EmployeeNumber, p.DepartmentId,
            db.Set<Department>().Where(d => d.Id == p.DepartmentId).Select(d => d.Name).FirstOrDefault(),
            p.ManagerId, p.LocationId, p.StartDate, p.LeaveDate, p.UserId,
            db.Set<Asset>().Count(a => a.AssignedPersonId == p.Id && a.DeletedAt == null),
            db.Set<Person>().Where(m => m.Id == p.ManagerId).Select(m => m.Name).FirstOrDefault(),
            db.Set<Location>().Where(l => l.Id == p.LocationId).Select(l => l.Name).FirstOrDefault(),
            p.LeaveDate != null && p.LeaveDate <= leavingBy));
    }
}

/// <summary>Adds a person to the directory.</summary>
public sealed class CreatePerson(WorkspaceDbContext db, AuditTrail audit, PeopleQueries queries, TimeProvider time)
{
    public async Task<PersonView> ExecuteAsync(PersonInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var person = new Person { Name = string.Empty, CreatedAt = time.GetUtcNow() };
        await input.ApplyToAsync(person, db, cancellationToken);
        db.Add(person);
        audit.AddChange(AuditEventType.PersonCreated, "person", person.Id.ToString(), PersonFields.Diff(null, person), subject: person.Name);
        await PersonFields.SaveAsync(db, cancellationToken);
        return await queries.GetAsync(person.Id, cancellationToken);
    }
}

/// <summary>
/// Changes a person's record. A new or changed leave date notes "holder leaving on …" on every asset they hold, in
/// the same transaction: the timeline of each item says when and by whom the leave became known.
/// </summary>
public sealed class UpdatePerson(WorkspaceDbContext db, AuditTrail audit, AssetRecord record, PeopleQueries queries)
{
    public async Task<PersonView> ExecuteAsync(Guid id, PersonInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var person = await db.Set<Person>().SingleOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw new NotFoundException("This workspace has no person with that id.");
        var before = PersonFields.Snapshot(person);
        var leaveBefore = person.LeaveDate;
        await input.ApplyToAsync(person, db, cancellationToken);
        var changes = PersonFields.Diff(before, person);
        if (changes.Count > 0)
        {
            audit.AddChange(AuditEventType.PersonUpdated, "person", person.Id.ToString(), changes, subject: person.Name);
            if (person.LeaveDate != leaveBefore)
            {
                await NoteHeldAssetsAsync(person, leaveBefore, cancellationToken);
            }

            await PersonFields.SaveAsync(db, cancellationToken);
        }

        return await queries.GetAsync(id, cancellationToken);
    }

    private async Task NoteHeldAssetsAsync(Person person, DateOnly? leaveBefore, CancellationToken cancellationToken)
    {
        var held = await db.Set<Asset>().AsNoTracking()
            .Where(a => a.AssignedPersonId == person.Id && a.DeletedAt == null)
            .Select(a => new { a.Id, a.Tag })
            .ToListAsync(cancellationToken);
        var (action, detail) = person.LeaveDate is { } leave
            ? ("holder leaving", $"holder leaving on {Date(leave)} ({person.Name})")
            : ("holder staying", $"holder no longer leaving: leave date {Date(leaveBefore!.Value)} removed ({person.Name})");
        FieldChange[] changes = [new("holderLeaveDate", leaveBefore is { } old ? Date(old) : null, person.LeaveDate is { } now ? Date(now) : null)];
        foreach (var asset in held)
        {
            record.Noted(asset.Id, asset.Tag, AuditEventType.AssetHolderLeaving, action, detail, changes);
        }
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

internal static class PersonFields
{
    public static Dictionary<string, string?> Snapshot(Person person) => new(StringComparer.Ordinal)
    {
        ["name"] = person.Name,
        ["email"] = person.Email,
        ["employeeNumber"] = person.EmployeeNumber,
        ["departmentId"] = person.DepartmentId?.ToString(),
        ["managerId"] = person.ManagerId?.ToString(),
        ["locationId"] = person.LocationId?.ToString(),
        ["startDate"] = person.StartDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["leaveDate"] = person.LeaveDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["userId"] = person.UserId?.ToString(),
    };

    public static List<FieldChange> Diff(Dictionary<string, string?>? before, Person after) =>
        AssetRecord.Diff(before ?? new Dictionary<string, string?>(StringComparer.Ordinal), Snapshot(after));

    public static async Task SaveAsync(WorkspaceDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            throw new ConflictException("Another person already has that email, employee number or user account.");
        }
    }
}
