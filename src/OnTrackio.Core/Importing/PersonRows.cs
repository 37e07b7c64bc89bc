using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.People;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Importing;

/// <summary>
/// Rows of people. A row names its person by email, or by employee number when it has no email; one with neither is a
/// new person. A manager is named by email and may be a person further down the same file.
/// </summary>
internal sealed class PersonRows(WorkspaceDbContext db, AuditTrail audit, ImportHeader header, AuditActor actor, TimeProvider time) : ImportRows
{
    public static readonly ImportColumn Name = new("name", "full name", "person");
    public static readonly ImportColumn Email = new("email", "email address", "mail");
    public static readonly ImportColumn EmployeeNumber = new("employee_number", "employee no", "employee id", "staff number");
    public static readonly ImportColumn Department = new("department", "dept");
    public static readonly ImportColumn Manager = new("manager_email", "manager");
    public static readonly ImportColumn Location = new("location");
    public static readonly ImportColumn StartDate = new("start_date", "started", "start");
    public static readonly ImportColumn LeaveDate = new("leave_date", "left", "leaving date", "end date");

    public static readonly IReadOnlyList<ImportColumn> Columns = [Name, Email, EmployeeNumber, Department, Manager, Location, StartDate, LeaveDate];

    private readonly Dictionary<string, Guid> _byEmail = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Guid> _byNumber = new(StringComparer.Ordinal);

    // Every email of the file with the id its person has or will have, so a manager further down the file is known.
    private readonly Dictionary<string, Guid> _fileEmails = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _emailLines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _numberLines = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, int> _personLines = [];
    private readonly HashSet<Guid> _saved = [];
    private readonly List<(Guid Person, Guid Manager)> _pendingManagers = [];
    private NameLookup _departments = new();
    private NameLookup _locations = new();

    public override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await foreach (var person in db.Set<Person>().AsNoTracking().Select(p => new { p.Id, p.Email, p.EmployeeNumber })
            .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            _saved.Add(person.Id);
            if (person.Email is not null)
            {
                _byEmail[person.Email] = person.Id;
            }

            if (person.EmployeeNumber is not null)
            {
                _byNumber[person.EmployeeNumber] = person.Id;
            }
        }

        _departments = await NamesAsync(db.Set<Department>(), cancellationToken);
        _locations = await LocationsAsync(db, cancellationToken);
    }

    public override void Observe(ImportRow row)
    {
        if (EmailOf(header.Cell(row, Email)) is { } email && !_fileEmails.ContainsKey(email))
        {
            _fileEmails[email] = _byEmail.TryGetValue(email, out var id) ? id : Guid.CreateVersion7();
        }
    }

    public override async Task CheckAsync(IReadOnlyList<ImportRow> batch, ImportTally tally, bool apply, CancellationToken cancellationToken)
    {
        var matched = batch.Select(Match).ToList();
        var ids = matched.Where(m => m.Target is not null).Select(m => m.Target!.Value).ToList();
        var people = apply ? db.Set<Person>() : db.Set<Person>().AsNoTracking();
        var existing = ids.Count == 0 ? [] : await people.Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var added = new List<Guid>();
        foreach (var (row, key, target, keyError) in matched)
        {
            var check = new InputCheck();
            if (keyError is not null)
            {
                check.Fail(keyError);
            }

            Person? person = null;
            if (target is { } id && !existing.TryGetValue(id, out person))
            {
                check.Fail($"{key} was removed from the directory while the import ran.");
            }

            var selfId = person?.Id ?? (EmailOf(header.Cell(row, Email)) is { } email && _fileEmails.TryGetValue(email, out var planned) ? planned : Guid.CreateVersion7());
            var draft = Draft(row, person, selfId, keyError is not null, check);
            if (check.Errors.Count > 0)
            {
                tally.Reject(row.Line, key, check.Errors);
                continue;
            }

            if (person is null)
            {
                tally.Create();
                if (apply)
                {
                    person = new Person { Id = selfId, Name = draft.Name!, CreatedAt = time.GetUtcNow() };
                    Copy(draft, person);
                    var entry = audit.ChangeEntry(AuditEventType.PersonCreated, "person", person.Id.ToString(), PersonFields.Diff(null, person), person.Name, actor);
                    DeferManager(person);
                    Added.Add(person);
                    Added.Add(entry);
                    added.Add(person.Id);
                }

                continue;
            }

            var before = PersonFields.Snapshot(person);
            Copy(draft, person);
            var changes = PersonFields.Diff(before, person);
            if (changes.Count == 0)
            {
                continue;
            }

            tally.Update();
            if (apply)
            {
                Added.Add(audit.ChangeEntry(AuditEventType.PersonUpdated, "person", person.Id.ToString(), changes, person.Name, actor));
                DeferManager(person);
            }
        }

        // After this batch is saved (the runner saves it), its people can be managers of the next ones.
        _saved.UnionWith(added);
    }

    /// <summary>Links people to managers that the file added after them: every row is saved by now, so every manager exists.</summary>
    public override async Task FinishAsync(CancellationToken cancellationToken)
    {
        foreach (var chunk in _pendingManagers.Chunk(1000))
        {
            var ids = chunk.Select(p => p.Person).ToList();
            var people = await db.Set<Person>().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
            foreach (var (person, manager) in chunk)
            {
                people[person].ManagerId = manager;
            }

            await ImportSave.SaveAsync(db, Added, cancellationToken);
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// A manager not saved yet (added later in the file, or in this batch) would fail the foreign key now, so the link
    /// waits for <see cref="FinishAsync"/> in the same transaction; the audit entry already names the manager.
    /// </summary>
    private void DeferManager(Person person)
    {
        if (person.ManagerId is { } manager && !_saved.Contains(manager))
        {
            _pendingManagers.Add((person.Id, manager));
            person.ManagerId = null;
        }
    }

    private (ImportRow Row, string? Key, Guid? Target, string? KeyError) Match(ImportRow row)
    {
        var email = EmailOf(header.Cell(row, Email));
        var number = Clean(header.Cell(row, EmployeeNumber));
        Guid? target = null;
        string? error = null;
        if (email is not null)
        {
            if (_emailLines.TryGetValue(email, out var first))
            {
                error = $"Email {Quote(email)} is also on line {first}.";
            }
            else
            {
                _emailLines[email] = row.Line;
                target = _byEmail.TryGetValue(email, out var id) ? id : null;
            }
        }
        else if (number is not null && _byNumber.TryGetValue(number, out var id))
        {
            target = id;
        }

        if (number is not null && error is null)
        {
            if (_numberLines.TryGetValue(number, out var first))
            {
                error = $"Employee number {Quote(number)} is also on line {first}.";
            }
            else
            {
                _numberLines[number] = row.Line;
                if (_byNumber.TryGetValue(number, out var holder) && holder != target)
                {
                    error = $"Another person already has employee number {Quote(number)}.";
                }
            }
        }

        if (target is { } person && error is null && !_personLines.TryAdd(person, row.Line))
        {
            error = $"Line {_personLines[person]} is about the same person.";
        }

        return (row, email ?? number, error is null ? target : null, error);
    }

    private sealed record PersonDraft(
        string? Name, string? Email, string? EmployeeNumber, Guid? DepartmentId, Guid? ManagerId, Guid? LocationId, DateOnly? StartDate, DateOnly? LeaveDate);

    private PersonDraft Draft(ImportRow row, Person? person, Guid selfId, bool unmatched, InputCheck check)
    {
        string? name;
        if (header.Has(Name) || (person is null && !unmatched))
        {
            name = check.Text(header.Cell(row, Name), "Name", 200, required: !unmatched);
        }
        else
        {
            name = person?.Name;
        }

        var email = person?.Email;
        if (header.Has(Email))
        {
            email = check.Text(header.Cell(row, Email), "Email", 254)?.ToLowerInvariant();
            if (email is not null && !System.Net.Mail.MailAddress.TryCreate(email, out _))
            {
                check.Fail($"Email {Quote(email)} is not an email address.");
            }
            else if (email is not null && _byEmail.TryGetValue(email, out var holder) && holder != selfId)
            {
                check.Fail($"Another person already has the email {email}.");
            }
        }

        var start = header.Has(StartDate) ? check.Date(header.Cell(row, StartDate), "Start date") : person?.StartDate;
        var leave = header.Has(LeaveDate) ? check.Date(header.Cell(row, LeaveDate), "Leave date") : person?.LeaveDate;
        if (start is not null && leave < start)
        {
            check.Fail("Leave date is before the start date.");
        }

        var manager = person?.ManagerId;
        if (header.Has(Manager))
        {
            manager = null;
            if (EmailOf(header.Cell(row, Manager)) is { } managerEmail)
            {
                manager = _byEmail.TryGetValue(managerEmail, out var known) ? known : _fileEmails.TryGetValue(managerEmail, out var planned) ? planned : null;
                if (manager is null)
                {
                    check.Fail($"No person has the email {Quote(managerEmail)}, here or in the file, to be the manager.");
                }
                else if (manager == selfId)
                {
                    check.Fail("A person cannot be their own manager.");
                }
            }
        }

        return new PersonDraft(
            name,
            email,
            header.Has(EmployeeNumber) ? check.Text(header.Cell(row, EmployeeNumber), "Employee number", 64) : person?.EmployeeNumber,
            header.Has(Department) ? Reference(_departments, header.Cell(row, Department), "department", check) : person?.DepartmentId,
            manager,
            header.Has(Location)
                ? Reference(_locations, Clean(header.Cell(row, Location)) is { } typed ? LocationPath(typed) : null, "location", check, LocationHint)
                : person?.LocationId,
            start,
            leave);
    }

    private static void Copy(PersonDraft draft, Person person)
    {
        person.Name = draft.Name!;
        person.Email = draft.Email;
        person.EmployeeNumber = draft.EmployeeNumber;
        person.DepartmentId = draft.DepartmentId;
        person.ManagerId = draft.ManagerId;
        person.LocationId = draft.LocationId;
        person.StartDate = draft.StartDate;
        person.LeaveDate = draft.LeaveDate;
    }

    private static string? EmailOf(string? raw) => Clean(raw)?.ToLowerInvariant();
}
