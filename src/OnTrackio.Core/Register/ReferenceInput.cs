namespace OnTrackio.Register;

/// <summary>The kinds of reference data, by the name they have in URLs (<c>/api/v1/{kind}</c>).</summary>
public enum ReferenceKind
{
    Categories,
    Manufacturers,
    Models,
    Suppliers,
    Locations,
    Departments,
    StatusLabels,
}

public static class ReferenceKinds
{
    public static readonly IReadOnlyDictionary<string, ReferenceKind> BySegment = new Dictionary<string, ReferenceKind>(StringComparer.Ordinal)
    {
        ["categories"] = ReferenceKind.Categories,
        ["manufacturers"] = ReferenceKind.Manufacturers,
        ["models"] = ReferenceKind.Models,
        ["suppliers"] = ReferenceKind.Suppliers,
        ["locations"] = ReferenceKind.Locations,
        ["departments"] = ReferenceKind.Departments,
        ["status-labels"] = ReferenceKind.StatusLabels,
    };

    public static string Segment(this ReferenceKind kind) => BySegment.Single(pair => pair.Value == kind).Key;

    /// <summary>The singular noun for messages and audit entries ("status label").</summary>
    public static string Noun(this ReferenceKind kind) => kind switch
    {
        ReferenceKind.Categories => "category",
        ReferenceKind.Manufacturers => "manufacturer",
        ReferenceKind.Models => "model",
        ReferenceKind.Suppliers => "supplier",
        ReferenceKind.Locations => "location",
        ReferenceKind.Departments => "department",
        _ => "status label",
    };
}

/// <summary>
/// One item of reference data as typed. Every kind has a name; the other fields belong to one kind each (a model's
/// category, a location's parent, a status label's kind; a field set to models and categories) and are refused on the others.
/// </summary>
public sealed class ReferenceInput
{
    public const int MaxNameLength = 200;

    public string? Name { get; set; }

    public Guid? CategoryId { get; set; }

    public Guid? ManufacturerId { get; set; }

    public string? ModelNumber { get; set; }

    public int? EndOfLifeMonths { get; set; }

    public Guid? ParentId { get; set; }

    public StatusKind? Kind { get; set; }

    /// <summary>The custom field set of a model's assets, or of a category's when their model names none.</summary>
    public Guid? FieldSetId { get; set; }
}

public sealed record ReferenceView(
    Guid Id, string Name, Guid? CategoryId = null, Guid? ManufacturerId = null, string? ModelNumber = null, int? EndOfLifeMonths = null,
    Guid? ParentId = null, StatusKind? Kind = null, Guid? FieldSetId = null);
