namespace OnTrackio.CustomFields;

/// <summary>A custom field as typed, in the API and on the settings page alike.</summary>
public sealed class CustomFieldInput
{
    public const int MaxHelpTextLength = 500;
    public const int MaxOptionLength = 200;

    public string? Name { get; set; }

    public CustomFieldType? Type { get; set; }

    /// <summary>The choices of a list field, in display order; refused on the other types.</summary>
    public IList<string>? Options { get; set; }

    public bool Required { get; set; }

    public string? HelpText { get; set; }
}

/// <summary>A field as the API and the pages show it; <paramref name="AssetCount"/> is how many assets hold a value for it.</summary>
public sealed record CustomFieldView(
    Guid Id, string Name, CustomFieldType Type, IReadOnlyList<string> Options, bool Required, string? HelpText, int AssetCount);

/// <summary>A set as typed: its name and its fields, in the order forms show them.</summary>
public sealed class CustomFieldSetInput
{
    public const int MaxFields = 200;

    public string? Name { get; set; }

    public IList<Guid>? FieldIds { get; set; }
}

public sealed record CustomFieldSetMemberView(Guid FieldId, string Name, CustomFieldType Type);

/// <summary>A set with its fields in order, and how many models and categories choose it.</summary>
public sealed record CustomFieldSetView(Guid Id, string Name, IReadOnlyList<CustomFieldSetMemberView> Fields, int ModelCount, int CategoryCount);
