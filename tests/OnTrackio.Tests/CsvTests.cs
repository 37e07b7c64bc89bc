namespace OnTrackio.Tests;

public sealed class CsvTests
{
    [Theory]
    [InlineData("=SUM(A1:A2)", "'=SUM(A1:A2)")]
    [InlineData("+33 1 23", "'+33 1 23")]
    [InlineData("-1", "'-1")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=1,2", "\"'=1,2\"")]
    [InlineData(null, "")]
    public void Cell_QuotesAndDefusesFormulas(string? value, string expected) => Assert.Equal(expected, Csv.Cell(value));
}
