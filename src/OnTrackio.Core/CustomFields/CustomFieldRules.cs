using Microsoft.EntityFrameworkCore;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.CustomFields;

/// <summary>What the field and set operations share: checking what was typed, the audited snapshot, saving.</summary>
internal static class CustomFieldRules
{
    public const string FieldEntity = "custom field";
    public const string SetEntity = "custom field set";

    /// <summary>Checks <paramref name="input"/> and copies it onto <paramref name="field"/>, or refuses with every reason.</summary>
    public static async Task ApplyAsync(WorkspaceDbContext db, CustomField field, CustomFieldInput input, CancellationToken cancellationToken)
    {
        var check = new InputCheck();
        var name = check.Text(input.Name, "Name", CustomField.MaxNameLength, required: true);
        if (name is not null && name.Any(char.IsControl))
        {
            check.Fail("Name contains control characters.");
        }

        var help = check.Text(input.HelpText, "Help text", CustomFieldInput.MaxHelpTextLength);
        var options = (input.Options ?? []).Select(o => o?.Trim()).Where(o => !string.IsNullOrEmpty(o)).Select(o => o!).ToList();
        if (input.Type is not { } type || !Enum.IsDefined(type))
        {
            check.Fail("A field needs a type: Text, Number, Date, List or Boolean.");
            check.ThrowIfInvalid();
            return;
        }

        if (type == CustomFieldType.List)
        {
            CheckOptions(options, check);
        }
        else if (options.Count > 0)
        {
            check.Fail($"Only a list field has options; a {type} field does not.");
        }

        check.ThrowIfInvalid();
        if (await db.Set<CustomField>().AnyAsync(f => f.Id != field.Id && f.Name == name, cancellationToken))
        {
            throw new ConflictException($"There is already a custom field named '{name}'.");
        }

        field.Name = name!;
        field.Type = type;
        field.Options = type == CustomFieldType.List ? string.Join('\n', options) : null;
        field.Required = input.Required;
        field.HelpText = help;
    }

    private static void CheckOptions(List<string> options, InputCheck check)
    {
        if (options.Count == 0)
        {
            check.Fail("A list field needs at least one option.");
        }
        else if (options.Count > CustomField.MaxOptions)
        {
            check.Fail($"A list field has at most {CustomField.MaxOptions} options.");
        }

        foreach (var option in options)
        {
            if (option.Length > CustomFieldInput.MaxOptionLength)
            {
                check.Fail($"Option '{option[..20]}…' is longer than {CustomFieldInput.MaxOptionLength} characters.");
            }
            else if (option.Any(char.IsControl))
            {
                // Options are stored one per line, so a line break inside one would make two.
                check.Fail($"Option '{option.ReplaceLineEndings(" ")}' contains a line break or control character.");
            }
        }

        // A value matches its option whatever its case, so two options that differ only in case could not both be chosen.
        foreach (var twice in options.GroupBy(o => o, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            check.Fail($"Option '{twice.Key}' is listed more than once.");
        }
    }

    /// <summary>Checks a set's name and fields, then names it and returns its fields in order, or refuses with every reason.</summary>
    public static async Task<IReadOnlyList<Guid>> ApplyAsync(WorkspaceDbContext db, CustomFieldSet set, CustomFieldSetInput input, CancellationToken cancellationToken)
    {
        var check = new InputCheck();
        var name = check.Text(input.Name, "Name", ReferenceInput.MaxNameLength, required: true);
        var ids = input.FieldIds ?? [];
        if (ids.Count > CustomFieldSetInput.MaxFields)
        {
            check.Fail($"A set has at most {CustomFieldSetInput.MaxFields} fields.");
        }

        if (ids.Count != ids.Distinct().Count())
        {
            check.Fail("A field is listed more than once in the set.");
        }

        var distinct = ids.Distinct().ToList();
        var known = await db.Set<CustomField>().Where(f => distinct.Contains(f.Id)).Select(f => f.Id).ToListAsync(cancellationToken);
        foreach (var missing in distinct.Except(known))
        {
            check.Fail($"This workspace has no custom field with id {missing}.");
        }

        check.ThrowIfInvalid();
        if (await db.Set<CustomFieldSet>().AnyAsync(s => s.Id != set.Id && s.Name == name, cancellationToken))
        {
            throw new ConflictException($"There is already a custom field set named '{name}'.");
        }

        set.Name = name!;
        return distinct;
    }

    public static Dictionary<string, string?> Snapshot(CustomField field) => new(StringComparer.Ordinal)
    {
        ["name"] = field.Name,
        ["type"] = field.Type.ToString(),
        ["options"] = field.Options is null ? null : string.Join(", ", field.OptionList),
        ["required"] = field.Required ? "true" : "false",
        ["helpText"] = field.HelpText,
    };

    public static async Task<Dictionary<string, string?>> SnapshotAsync(WorkspaceDbContext db, CustomFieldSet set, IEnumerable<Guid> fieldIds, CancellationToken cancellationToken)
    {
        var ids = fieldIds.ToList();
        var names = await db.Set<CustomField>().Where(f => ids.Contains(f.Id)).ToDictionaryAsync(f => f.Id, f => f.Name, cancellationToken);
        return new(StringComparer.Ordinal)
        {
            ["name"] = set.Name,
            ["fields"] = ids.Count == 0 ? null : string.Join(", ", ids.Select(id => names.GetValueOrDefault(id, id.ToString()))),
        };
    }

    public static CustomFieldView View(CustomField field, int assetCount) =>
        new(field.Id, field.Name, field.Type, field.OptionList, field.Required, field.HelpText, assetCount);

    public static async Task SaveAsync(WorkspaceDbContext db, string what, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            // The name check before the save lost a race; the unique index decided.
            throw new ConflictException($"There is already a {what} with that name.");
        }
    }
}
