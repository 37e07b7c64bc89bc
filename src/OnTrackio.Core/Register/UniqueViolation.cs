using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace OnTrackio.Register;

/// <summary>
/// Whether a save failed on a unique index: the check before the save can lose a race, and the index is what finally
/// decides. Each engine reports it its own way.
/// </summary>
internal static class UniqueViolation
{
    public static bool Is(DbUpdateException exception) => exception?.InnerException switch
    {
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode == 2067, // SQLITE_CONSTRAINT_UNIQUE
        _ => false,
    };
}
