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
            check.Fail($"Email '{email}' is not an email address.");
        }

        var number = check.Text(EmployeeNumber, "Employee number", 64);
        var start = check.Date(StartDate, "Start date");
        var leave = check.Date(LeaveDate, "Leave date");
        if (start is not null && leave < start)
        {
            check.Fail("Leave date is before the start date.");
        }

        if (DepartmentId is not null && !await db.Set<Department>().AnyAsync(d => d.Id == DepartmentId, cancellationToken))
        {
            check.Fail("This workspace has no department with that id.");
        }

        if (ManagerId is not null && (ManagerId == person.Id || !await db.Set<Person>().AnyAsync(p => p.Id == ManagerId, cancellationToken)))
        {
            check.Fail(ManagerId == person.Id ? "A person cannot be their own manager." : "This workspace has no person with that id to be the manager.");
        }

        if (LocationId is not null && !await db.Set<Location>().AnyAsync(l => l.Id == LocationId, cancellationToken))
        {
            check.Fail("This workspace has no location with that id.");
        }

        if (UserId is not null && !await db.Users.AnyAsync(u => u.Id == UserId, cancellationToken))
        {
            check.Fail("This workspace has no user account with that id.");
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
}
