using OnTrackio.People;
using OnTrackio.Register;

namespace OnTrackio.Web.Pages.People;

/// <summary>What the person form offers in its lists, read once per request.</summary>
public sealed record PersonChoices(IReadOnlyList<ReferenceView> Departments, IReadOnlyList<ReferenceView> Locations, IReadOnlyList<PersonView> Managers)
{
    public static PersonChoices Empty { get; } = new([], [], []);

    /// <summary>
    /// Managers are the first people by name (a search field replaces the list when directories outgrow it), plus the
    /// current manager when they are further down, so an edit never silently drops them.
    /// </summary>
    public static async Task<PersonChoices> LoadAsync(
        ListReferenceItems reference, PeopleQueries people, Guid? self, Guid? currentManager, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(people);
        var managers = (await people.ListAsync(null, cancellationToken)).Where(p => p.Id != self).ToList();
        if (currentManager is { } id && managers.All(m => m.Id != id))
        {
            try
            {
                managers.Insert(0, await people.GetAsync(id, cancellationToken));
            }
            catch (NotFoundException)
            {
                // A manager id typed into a refused form that names nobody: the refusal already says so.
            }
        }

        return new PersonChoices(
            await reference.ExecuteAsync(ReferenceKind.Departments, cancellationToken),
            await reference.ExecuteAsync(ReferenceKind.Locations, cancellationToken),
            managers);
    }
}
