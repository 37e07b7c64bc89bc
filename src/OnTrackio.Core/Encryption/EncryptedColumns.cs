using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OnTrackio.Encryption;

/// <summary>
/// A column holding protected-field envelopes, with the single-column key that is its row's identity. A Guid key
/// (<c>KeyIsGuid</c>) is bound into ciphertexts in its <see cref="EncryptedColumns.RowOf(Guid)"/> form.
/// </summary>
public sealed record EncryptedColumn(string Table, string Column, string KeyColumn, bool KeyIsGuid = false);

/// <summary>
/// Columns are marked encrypted in the model itself, so rotation finds every one of them without a list to forget.
/// </summary>
public static class EncryptedColumns
{
    private const string Annotation = "OnTrackio:Encrypted";

    /// <summary>Marks a string property as holding protected-field envelopes (see <see cref="FieldProtector"/>).</summary>
    public static PropertyBuilder<string> IsEncrypted(this PropertyBuilder<string> property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return property.HasAnnotation(Annotation, true);
    }

    /// <summary>
    /// The text a <see cref="Guid"/> row key is bound as. Engines store Guids differently (uuid, upper-case text), so
    /// the binding uses one canonical form: lower-case, hyphenated.
    /// </summary>
    public static string RowOf(Guid key) => key.ToString("D");

    public static IReadOnlyList<EncryptedColumn> In(IModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var columns = new List<EncryptedColumn>();
        foreach (var entity in model.GetEntityTypes())
        {
            var table = entity.GetTableName();
            var key = entity.FindPrimaryKey();
            foreach (var property in entity.GetProperties().Where(p => p.FindAnnotation(Annotation) is not null))
            {
                // The row's identity is bound into each ciphertext as text: a string as it is, a Guid in one canonical form.
                if (table is null || key is null || key.Properties.Count != 1 || (key.Properties[0].ClrType != typeof(string) && key.Properties[0].ClrType != typeof(Guid)))
                {
                    throw new InvalidOperationException($"{entity.DisplayName()}.{property.Name} is encrypted, so its table needs a single string or Guid key.");
                }

                var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
                columns.Add(new EncryptedColumn(
                    table, property.GetColumnName(store)!, key.Properties[0].GetColumnName(store)!, key.Properties[0].ClrType == typeof(Guid)));
            }
        }

        return columns;
    }
}
