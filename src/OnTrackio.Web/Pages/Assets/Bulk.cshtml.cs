using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Assets;
using OnTrackio.Identity;
using OnTrackio.People;
using OnTrackio.Register;

namespace OnTrackio.Web.Pages.Assets;

/// <summary>
/// Bulk edit, check-out and check-in of the assets ticked on the list: choose, review, confirm. The selection travels
/// with the version each asset had when it was chosen, so an asset someone changed meanwhile is refused rather than
/// overwritten; a refusal lists every failing asset and keeps what was chosen and typed.
/// </summary>
[Authorize(Policy = Permissions.AssetsManage)]
public sealed class BulkAssetsModel(AssetQueries queries, ListReferenceItems reference, PeopleQueries people) : PageModel
{
    public const string EditOperation = "update";
    public const string CheckOutOperation = "checkout";
    public const string CheckInOperation = "checkin";

    [BindProperty(SupportsGet = true)]
    public List<Guid> Ids { get; set; } = [];

    /// <summary>The version of each asset when it was selected.</summary>
    [BindProperty]
    public Dictionary<Guid, long> Versions { get; set; } = [];

    /// <summary>"Select all on this page" on the list: the page's ids come as <see cref="PageIds"/>, ticked or not.</summary>
    [BindProperty]
    public bool AllOnPage { get; set; }

    [BindProperty]
    public List<Guid> PageIds { get; set; } = [];

    [BindProperty]
    public string? Operation { get; set; }

    [BindProperty]
    public BulkUpdateInput Update { get; set; } = new();

    [BindProperty]
    public CheckOutInput CheckOut { get; set; } = new();

    [BindProperty]
    public string? CheckInNote { get; set; }

    public IReadOnlyList<AssetView> Selected { get; private set; } = [];

    /// <summary>After a change: the assets as they are now.</summary>
    public IReadOnlyList<AssetView>? Changed { get; private set; }

    public IReadOnlyList<BulkFailure> Failures { get; private set; } = [];

    public string? Error { get; private set; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> FieldErrors { get; private set; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The review step: what will be done, with a confirm button.</summary>
    public bool Reviewing { get; private set; }

    public AssetChoices Choices { get; private set; } = AssetChoices.Empty;

    public IReadOnlyList<PersonView> People { get; private set; } = [];

    public string? ErrorFor(string field) => FieldErrors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    /// <summary>Also reachable with ids in the query string (a link to a few assets); the list posts its selection instead.</summary>
    public Task OnGetAsync(CancellationToken cancellationToken) => ShowAsync(freshVersions: true, cancellationToken);

    public Task OnPostSelectAsync(CancellationToken cancellationToken)
    {
        if (AllOnPage)
        {
            Ids = PageIds;
        }

        return ShowAsync(freshVersions: true, cancellationToken);
    }

    public async Task OnPostReviewAsync(CancellationToken cancellationToken)
    {
        if (Operation is not (EditOperation or CheckOutOperation or CheckInOperation))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Error = "Choose what to do with the selected assets: edit, check out or check in.";
        }
        else
        {
            Reviewing = true;
        }

        await ShowAsync(freshVersions: false, cancellationToken);
    }

    /// <summary>Back from the review to the form, with everything as it was chosen.</summary>
    public Task OnPostChangeAsync(CancellationToken cancellationToken) => ShowAsync(freshVersions: false, cancellationToken);

    public async Task OnPostApplyAsync(
        [FromServices] BulkUpdateAssets update, [FromServices] BulkCheckOutAssets checkOut, [FromServices] BulkCheckInAssets checkIn, CancellationToken cancellationToken)
    {
        try
        {
            var result = Operation switch
            {
                EditOperation => await update.ExecuteAsync(
                    new BulkUpdateInput
                    {
                        Ids = Ids,
                        Versions = Versions,
                        StatusLabelId = Update.StatusLabelId,
                        ModelId = Update.ModelId,
                        LocationId = Update.LocationId,
                        SupplierId = Update.SupplierId,
                        ExpectedCheckIn = Update.ExpectedCheckIn,
                    },
                    cancellationToken),
                CheckOutOperation => await checkOut.ExecuteAsync(
                    new BulkCheckOutInput
                    {
                        Ids = Ids,
                        Versions = Versions,
                        PersonId = CheckOut.PersonId,
                        LocationId = CheckOut.LocationId,
                        ExpectedCheckIn = CheckOut.ExpectedCheckIn,
                        Note = CheckOut.Note,
                    },
                    cancellationToken),
                CheckInOperation => await checkIn.ExecuteAsync(new BulkCheckInInput { Ids = Ids, Versions = Versions, Note = CheckInNote }, cancellationToken),
                _ => throw new OperationRefusedException("Choose what to do with the selected assets: edit, check out or check in."),
            };
            Changed = result.Items;
            return;
        }
        catch (BulkRefusedException ex)
        {
            Response.StatusCode = ex.NamesUnknownAssets ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict;
            (Error, Failures) = (ex.Message, ex.Failures);
        }
        catch (OperationRefusedException ex)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            (Error, FieldErrors) = (ex.Message, ex.FieldErrors);
        }
        catch (Exception ex) when (Refusal.Of(ex) is { } refusal)
        {
            (Response.StatusCode, Error) = refusal;
        }

        await ShowAsync(freshVersions: false, cancellationToken);
    }

    /// <summary>
    /// Loads the selection; <paramref name="freshVersions"/> takes each asset's version as it is now (a new selection),
    /// otherwise the versions the form carried stay, so a change made since the selection is still caught.
    /// </summary>
    private async Task ShowAsync(bool freshVersions, CancellationToken cancellationToken)
    {
        Ids = [.. Ids.Distinct()];
        if (Ids.Count > BulkChange.MaxAssets && Error is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Error = $"Select at most {BulkChange.MaxAssets} assets for one bulk change; {Ids.Count} were selected.";
        }

        Selected = Ids.Count == 0 ? [] : await queries.ListByIdsAsync([.. Ids.Take(BulkChange.MaxAssets)], cancellationToken);
        if (freshVersions)
        {
            Versions = Selected.ToDictionary(a => a.Id, a => a.Version);
        }

        Choices = await AssetChoices.LoadAsync(reference, cancellationToken);
        People = await AssetChoices.PeopleAsync(people, cancellationToken);
    }

    /// <summary>What the review step says will happen, in words.</summary>
    public IEnumerable<string> Summary()
    {
        static string? Name(IReadOnlyList<ReferenceView> choices, Guid? id) => id is null ? null : choices.FirstOrDefault(c => c.Id == id)?.Name ?? "(unknown)";
        switch (Operation)
        {
            case EditOperation:
                var sets = new[]
                {
                    Name(Choices.Statuses, Update.StatusLabelId) is { } status ? $"status to {status}" : null,
                    Name(Choices.Models, Update.ModelId) is { } model ? $"model to {model}" : null,
                    Name(Choices.Locations, Update.LocationId) is { } location ? $"location to {location}" : null,
                    Name(Choices.Suppliers, Update.SupplierId) is { } supplier ? $"supplier to {supplier}" : null,
                    string.IsNullOrWhiteSpace(Update.ExpectedCheckIn) ? null : $"expected check-in to {Update.ExpectedCheckIn}",
                }.OfType<string>().ToList();
                yield return sets.Count == 0 ? "Change nothing (no value was chosen)." : $"Set {string.Join(", ", sets)} on {Ids.Count} assets.";
                break;
            case CheckOutOperation:
                var to = CheckOut.PersonId is { } person ? People.FirstOrDefault(p => p.Id == person)?.Name : Name(Choices.Locations, CheckOut.LocationId);
                yield return $"Check out {Ids.Count} assets to {to ?? "(nobody chosen)"}"
                    + (string.IsNullOrWhiteSpace(CheckOut.ExpectedCheckIn) ? "." : $", back by {CheckOut.ExpectedCheckIn}.");
                break;
            default:
                yield return $"Check in {Ids.Count} assets.";
                break;
        }
    }
}
