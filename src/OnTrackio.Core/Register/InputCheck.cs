namespace OnTrackio.Register;

/// <summary>
/// Collects what is wrong with one request, field by field, so a person sees every mistake at once; the forms and
/// the API share it. <see cref="ThrowIfInvalid"/> refuses the whole request (400) with all the reasons.
/// </summary>
public sealed class InputCheck
{
    private readonly List<string> _errors = [];
    private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Errors => _errors;

    /// <summary>
    /// Records a reason; <paramref name="field"/> (the field's label, as the messages name it) lets a form show the
    /// reason beside its input instead of only above the form.
    /// </summary>
    public void Fail(string message, string? field = null)
    {
        _errors.Add(message);
        if (field is not null)
        {
            if (!_byField.TryGetValue(field, out var messages))
            {
                _byField[field] = messages = [];
            }

            messages.Add(message);
        }
    }

    /// <summary>Trimmed text, or null when blank; too long is an error.</summary>
    public string? Text(string? value, string field, int maxLength, bool required = false)
    {
        var trimmed = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        if (trimmed is null && required)
        {
            Fail($"{field} is required.", field);
        }
        else if (trimmed?.Length > maxLength)
        {
            Fail($"{field} is longer than {maxLength} characters.", field);
        }

        return trimmed;
    }

    /// <summary>A calendar date written yyyy-mm-dd (what an HTML date input sends), or null when blank.</summary>
    public DateOnly? Date(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (IsoDate(value.AsSpan().Trim()) is { Year: >= 1900 and <= 2999 } date)
        {
            return date;
        }

        Fail($"{field} '{value}' is not a date: write it as yyyy-mm-dd (for example 2026-03-31).", field);
        return null;
    }

    /// <summary>
    /// Exactly <c>yyyy-MM-dd</c>, digits only. Written out rather than <c>DateOnly.TryParseExact</c>, whose
    /// culture-aware format matching was a quarter of an import's row-checking time (a 100,000-row file has
    /// hundreds of thousands of dates).
    /// </summary>
    internal static DateOnly? IsoDate(ReadOnlySpan<char> text)
    {
        if (text.Length != 10 || text[4] != '-' || text[7] != '-'
            || !Digits(text[..4], out var year) || !Digits(text.Slice(5, 2), out var month) || !Digits(text.Slice(8, 2), out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return null;
        }

        return new DateOnly(year, month, day);

        static bool Digits(ReadOnlySpan<char> digits, out int number)
        {
            number = 0;
            foreach (var c in digits)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }

                number = (number * 10) + (c - '0');
            }

            return true;
        }
    }

    public int? WholeNumber(int? value, string field, int min, int max)
    {
        if (value is { } number && (number < min || number > max))
        {
            Fail($"{field} must be between {min} and {max}.", field);
        }

        return value;
    }

    /// <summary>An amount with its currency: both or neither, never negative, at most 4 decimals and 14 digits before the point.</summary>
    public (decimal? Cost, string? Currency) Money(decimal? cost, string? currency, string field)
    {
        var code = string.IsNullOrWhiteSpace(currency) ? null : currency.Trim().ToUpperInvariant();
        if (code is not null && !CurrencyCodes.IsKnown(code))
        {
            Fail($"Currency '{currency}' is not an ISO 4217 currency code (for example EUR, USD, GBP).");
        }

        if (cost is not { } amount)
        {
            if (code is not null)
            {
                Fail($"A currency was given without a {field.ToLowerInvariant()}.");
            }

            return (null, null);
        }

        if (amount < 0)
        {
            Fail($"{field} cannot be negative.");
        }
        else if (amount.Scale > 4 && decimal.Round(amount, 4) != amount)
        {
            Fail($"{field} has more than 4 decimal places.");
        }
        else if (amount >= 100_000_000_000_000m)
        {
            Fail($"{field} is too large.");
        }

        if (code is null)
        {
            Fail($"{field} needs a currency (ISO 4217, for example EUR).");
        }

        return (amount, code);
    }

    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0)
        {
            throw new OperationRefusedException(string.Join(" ", _errors))
            {
                FieldErrors = _byField.ToDictionary(f => f.Key, f => (IReadOnlyList<string>)f.Value, StringComparer.Ordinal),
            };
        }
    }
}
