using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Assets;
using OnTrackio.Audit;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.People;

public sealed record PersonView(
    Guid Id, string Name, string? Email, string? EmployeeNumber, Guid? DepartmentId, string? DepartmentName, Guid? ManagerId,
    Guid? LocationId, DateOnly? StartDate, DateOnly? LeaveDate, Guid? UserId, int AssetsHeld);

/// <summary>Reads the directory of this workspace.</summary>
public sealed class PeopleQueries(WorkspaceDbContext db)
{
    public const int MaxResults = 200;

    /// <summary>By name; <paramref name="q"/> matches the start of the name, email or employee number. Paging comes with the import slice.</summary>
    public async Task<IReadOnlyList<PersonView>> ListAsync(string? q, CancellationToken cancellationToken)
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

        return await Project(people.OrderBy(p => p.Name).ThenBy(p => p.Id).Take(MaxResults)).ToListAsync(cancellationToken);
    }

    public async Task<PersonView> GetAsync(Guid id, CancellationToken cancellationToken) =>
        await Project(db.Set<Person>().AsNoTracking().Where(p => p.Id == id)).SingleOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException("This workspace has no person with that id.");

    private IQueryable<PersonView> Project(IQueryable<Person> people) =>
        people.Select(p => new PersonView(
            p.Id, p.Name, p.Email, p.EmployeeNumber, p.DepartmentId,
            db.Set<Department>().Where(d => d.Id == p.DepartmentId).Select(d => d.Name).FirstOrDefault(),
            p.ManagerId, p.LocationId, p.StartDate, p.LeaveDate, p.UserId,
            db.Set<Asset>().Count(a => a.AssignedPersonId == p.Id && a.DeletedAt == null)));
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

/// <summary>Changes a person's record.</summary>
public sealed class UpdatePerson(WorkspaceDbContext db, AuditTrail audit, PeopleQueries queries)
{
    public async Task<PersonView> ExecuteAsync(Guid id, PersonInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var person = await db.Set<Person>().SingleOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw new NotFoundException("This workspace has no person with that id.");
        var before = PersonFields.Snapshot(person);
        await input.ApplyToAsync(person, db, cancellationToken);
        var changes = PersonFields.Diff(before, person);
        if (changes.Count > 0)
        {
            audit.AddChange(AuditEventType.PersonUpdated, "person", person.Id.ToString(), changes, subject: person.Name);
            await PersonFields.SaveAsync(db, cancellationToken);
        }

        return await queries.GetAsync(id, cancellationToken);
    }
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
