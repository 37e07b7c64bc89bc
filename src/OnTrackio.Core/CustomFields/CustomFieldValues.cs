using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.CustomFields;

/// <summary>
/// Checks custom values against their fields and writes them in canonical text, so "1,5" typed in a form, "1.50" in a
/// CSV file and 1.5 in JSON are one value to filters and exports. Shared by the form, the API and the import.
/// </summary>
public static class CustomFieldValues
{
    /// <summary>The fields of the set that applies to assets of <paramref name="modelId"/> (the model's set, else its category's), in order.</summary>
    public static async Task<IReadOnlyList<CustomField>> FieldsForModelAsync(WorkspaceDbContext db, Guid modelId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var setId = await (
            from m in db.Set<AssetModel>()
            join c in db.Set<Category>() on m.CategoryId equals c.Id
            where m.Id == modelId
            select m.FieldSetId ?? c.FieldSetId).SingleOrDefaultAsync(cancellationToken);
        return setId is null ? [] : await FieldsOfSetAsync(db, setId.Value, cancellationToken);
    }

    public static async Task<IReadOnlyList<CustomField>> FieldsOfSetAsync(WorkspaceDbContext db, Guid setId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await (
            from member in db.Set<CustomFieldSetMember>()
            join field in db.Set<CustomField>() on member.FieldId equals field.Id
            where member.SetId == setId
            orderby member.Position, field.Name
            select field).AsNoTracking().ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The canonical text of <paramref name="raw"/> for <paramref name="field"/>, or null when blank (a missing
    /// required value is an error). Every problem goes to <paramref name="check"/> with the field's name.
    /// </summary>
    public static string? Normalize(CustomField field, string? raw, InputCheck check)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(check);
        var value = string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
        if (value is null)
        {
            if (field.Required)
            {
                check.Fail($"{field.Name} is required.");
            }

            return null;
        }

        if (value.Length > CustomField.MaxValueLength)
        {
            check.Fail($"{field.Name} is longer than {CustomField.MaxValueLength} characters.");
            return null;
        }

        switch (field.Type)
        {
            case CustomFieldType.Number:
                if (decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
                {
                    return number.ToString("0.############################", CultureInfo.InvariantCulture);
                }

                check.Fail($"{field.Name} '{value}' is not a number: write digits with a point for decimals (for example 16 or 2.5).");
                return null;
            case CustomFieldType.Date:
                return check.Date(value, field.Name)?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            case CustomFieldType.Boolean:
                switch (value.ToUpperInvariant())
                {
                    case "TRUE" or "YES" or "Y" or "1" or "ON":
                        return "true";
                    case "FALSE" or "NO" or "N" or "0" or "OFF":
                        return "false";
                    default:
                        check.Fail($"{field.Name} '{value}' is not yes or no: write true or false.");
                        return null;
                }

            case CustomFieldType.List:
                var option = field.OptionList.FirstOrDefault(o => string.Equals(o, value, StringComparison.OrdinalIgnoreCase));
                if (option is null)
                {
                    check.Fail($"{field.Name} '{value}' is not one of its choices: {string.Join(", ", field.OptionList)}.");
                }

                return option;
            default:
                if (value.Any(c => c is not ('\r' or '\n' or '\t') && char.IsControl(c)))
                {
                    check.Fail($"{field.Name} contains control characters.");
                    return null;
                }

                return value;
        }
    }
}
