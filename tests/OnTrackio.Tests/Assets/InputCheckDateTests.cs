using OnTrackio.Register;

namespace OnTrackio.Tests.Assets;

public sealed class InputCheckDateTests
{
    [Theory]
    [InlineData("2026-03-31", 2026, 3, 31)]
    [InlineData("2024-02-29", 2024, 2, 29)]
    [InlineData("0001-01-01", 1, 1, 1)]
    [InlineData("9999-12-31", 9999, 12, 31)]
    public void IsoDate_ValidDate_IsRead(string text, int year, int month, int day) =>
        Assert.Equal(new DateOnly(year, month, day), InputCheck.IsoDate(text));

    [Theory]
    [InlineData("2025-02-29")]
    [InlineData("2026-13-01")]
    [InlineData("2026-00-10")]
    [InlineData("2026-04-31")]
    [InlineData("2026-04-00")]
    [InlineData("0000-01-01")]
    [InlineData("2026-1-01")]
    [InlineData("2026/01/01")]
    [InlineData("26-01-2026")]
    [InlineData("2026-01-01T00:00")]
    [InlineData("2026-0a-01")]
    [InlineData("２０２６-01-01")]
    [InlineData("")]
    public void IsoDate_AnythingElse_IsNull(string text) => Assert.Null(InputCheck.IsoDate(text));

    [Fact]
    public void Date_OutsideTheYearsAllowed_IsRefusedWithTheFieldNamed()
    {
        var check = new InputCheck();
        Assert.Null(check.Date("1899-12-31", "Purchase date"));
        Assert.Equal(new DateOnly(2026, 3, 31), check.Date(" 2026-03-31 ", "Warranty end"));
        Assert.Null(check.Date("  ", "Warranty end"));
        var error = Assert.Single(check.Errors);
        Assert.Contains("Purchase date '1899-12-31' is not a date", error, StringComparison.Ordinal);
    }
}
