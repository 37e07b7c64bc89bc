using Microsoft.EntityFrameworkCore;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.People;

/// <summary>What a person's record holds, as typed in the API or the form.</summary>
public sealed class PersonInput
{
    public string? Name { get; set; }

    public string? Email { get; set; }

    public string? EmployeeNumber { get; set; }

    public Guid? DepartmentId { get; set; }

    public Guid? ManagerId { get; set; }

    public Guid? LocationId { get; set; }

    public string? StartDate { get; set; }

    public string? LeaveDate { get; set; }

    public Guid? UserId { get; set; }

    internal async Task ApplyToAsync(Person person, WorkspaceDbContext db, CancellationToken cancellationToken)
    {
        var check = new InputCheck();
        var name = check.Text(Name, "Name", 200, required: true);
        var email = check.Text(Email, "Email", 254)?.ToLowerInvariant();
        if (email is not null && !System.Net.Mail.MailAddress.TryCreate(email, out _))
        {
            check.Fail($"Email '{email}' is not an email address.", "Email");
        }

        var number = check.Text(EmployeeNumber, "Employee number", 64);
        var start = check.Date(StartDate, "Start date");
        var leave = check.Date(LeaveDate, "Leave date");
        if (start is not null && leave < start)
        {
            check.Fail("Leave date is before the start date.", "Leave date");
        }

        if (DepartmentId is not null && !await db.Set<Department>().AnyAsync(d => d.Id == DepartmentId, cancellationToken))
        {
            check.Fail("This workspace has no department with that id.", "Department");
        }

        if (ManagerId is { } managerId && await ManagerProblemAsync(db, person.Id, name ?? person.Name, managerId, cancellationToken) is { } managerProblem)
        {
            check.Fail(managerProblem, "Manager");
        }

        if (LocationId is not null && !await db.Set<Location>().AnyAsync(l => l.Id == LocationId, cancellationToken))
        {
            check.Fail("This workspace has no location with that id.", "Location");
        }

        if (UserId is not null && !await db.Users.AnyAsync(u => u.Id == UserId, cancellationToken))
        {
            check.Fail("This workspace has no user account with that id.", "User account");
        }

        check.ThrowIfInvalid();
        var others = db.Set<Person>().Where(p => p.Id != person.Id);
        if (email is not null && await others.AnyAsync(p => p.Email == email, cancellationToken))
        {
            throw new ConflictException($"Another person already has the email {email}.");
        }

        if (number is not null && await others.AnyAsync(p => p.EmployeeNumber == number, cancellationToken))
        {
            throw new ConflictException($"Another person already has employee number {number}.");
        }

        if (UserId is not null && await others.AnyAsync(p => p.UserId == UserId, cancellationToken))
        {
            throw new ConflictException("That user account is already linked to another person.");
        }

        person.Name = name!;
        person.Email = email;
        person.EmployeeNumber = number;
        person.DepartmentId = DepartmentId;
        person.ManagerId = ManagerId;
        person.LocationId = LocationId;
        person.StartDate = start;
        person.LeaveDate = leave;
        person.UserId = UserId;
    }

    /// <summary>The form's starting values for an existing person.</summary>
    public static PersonInput From(PersonView person)
    {
        ArgumentNullException.ThrowIfNull(person);
        return new PersonInput
        {
            Name = person.Name,
            Email = person.Email,
            EmployeeNumber = person.EmployeeNumber,
            DepartmentId = person.DepartmentId,
            ManagerId = person.ManagerId,
            LocationId = person.LocationId,
            StartDate = person.StartDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            LeaveDate = person.LeaveDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            UserId = person.UserId,
        };
    }

    /// <summary>
    /// Why <paramref name="managerId"/> cannot manage the person, or null: it must be someone of this workspace, not the
    /// person, and not anyone who reports to the person, directly or through others (the chain would become a loop).
    /// </summary>
    private static async Task<string?> ManagerProblemAsync(WorkspaceDbContext db, Guid self, string selfName, Guid managerId, CancellationToken cancellationToken)
    {
        if (managerId == self)
        {
            return "A person cannot be their own manager.";
        }

        var chain = new List<string>();
        var seen = new HashSet<Guid>();
        for (Guid? current = managerId; current is { } id && seen.Add(id);)
        {
            if (id == self)
            {
                return $"{chain[0]} cannot be {selfName}'s manager: the chain of managers above {chain[0]} leads back to {selfName} ({string.Join(" → ", chain.Append(selfName))}), so it would become a loop.";
            }

            var row = await db.Set<Person>().AsNoTracking().Where(p => p.Id == id).Select(p => new { p.Name, p.ManagerId }).SingleOrDefaultAsync(cancellationToken);
            if (row is null)
            {
                return chain.Count == 0 ? "This workspace has no person with that id to be the manager." : null;
            }

            chain.Add(row.Name);
            current = row.ManagerId;
        }

        return null;
    }
}
