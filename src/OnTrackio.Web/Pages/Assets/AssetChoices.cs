using OnTrackio.People;
using OnTrackio.Register;

namespace OnTrackio.Web.Pages.Assets;

/// <summary>What the asset forms offer in their lists, read once per request.</summary>
public sealed record AssetChoices(
    IReadOnlyList<ReferenceView> Models,
    IReadOnlyList<ReferenceView> Statuses,
    IReadOnlyList<ReferenceView> Categories,
    IReadOnlyList<ReferenceView> Locations,
    IReadOnlyList<ReferenceView> Suppliers)
{
    public static AssetChoices Empty { get; } = new([], [], [], [], []);

    /// <summary>People for the check-out list; a search field replaces it when directories outgrow a list.</summary>
    public static Task<IReadOnlyList<PersonView>> PeopleAsync(PeopleQueries people, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(people);
        return people.ListAsync(null, cancellationToken);
    }

    public static async Task<AssetChoices> LoadAsync(ListReferenceItems list, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        return new AssetChoices(
            await list.ExecuteAsync(ReferenceKind.Models, cancellationToken),
            await list.ExecuteAsync(ReferenceKind.StatusLabels, cancellationToken),
            await list.ExecuteAsync(ReferenceKind.Categories, cancellationToken),
            await list.ExecuteAsync(ReferenceKind.Locations, cancellationToken),
            await list.ExecuteAsync(ReferenceKind.Suppliers, cancellationToken));
    }
}

/// <summary>How the pages answer an operation's refusal: the status, and the message shown beside the form.</summary>
internal static class Refusal
{
    public static (int Status, string Message)? Of(Exception exception) => exception switch
    {
        OperationRefusedException => (StatusCodes.Status400BadRequest, exception.Message),
        ConflictException => (StatusCodes.Status409Conflict, exception.Message),
        StaleVersionException => (StatusCodes.Status409Conflict, exception.Message),
        _ => null,
    };
}
