using System.Text;
using OnTrackio.Importing;

namespace OnTrackio.Tests.Importing;

/// <summary>Reading uploaded bytes: encodings, delimiters, quoting and line numbers, without a database.</summary>
public sealed class ImportFileTests
{
    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    [Fact]
    public void Detect_Utf8WithoutMark_IsUtf8_AndCommaByDefault()
    {
        var format = ImportFile.Detect(Encoding.UTF8.GetBytes("tag,name\nA-1,Café\n"), null, null);

        Assert.Equal("utf-8", format.EncodingName);
        Assert.Equal(0, format.PreambleLength);
        Assert.Equal(',', format.Delimiter);
    }

    [Fact]
    public void Detect_InvalidUtf8_FallsBackToWindows1252_AndReadsAccents()
    {
        var bytes = Windows1252.GetBytes("tag;name\nA-1;Café Crème\n");

        var format = ImportFile.Detect(bytes, null, null);
        var rows = ImportFile.Records(bytes, format).ToList();

        Assert.Equal("windows-1252", format.EncodingName);
        Assert.Equal(';', format.Delimiter);
        Assert.Equal("Café Crème", rows[1].Cells[1]);
    }

    [Theory]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    public void Detect_Utf16WithMark_IsRead_AndTheMarkIsNotPartOfTheHeader(string name)
    {
        var encoding = new UnicodeEncoding(bigEndian: name == "utf-16be", byteOrderMark: true);
        var bytes = encoding.GetPreamble().Concat(encoding.GetBytes("tag\tname\r\nA-1\tŁódź\r\n")).ToArray();

        var format = ImportFile.Detect(bytes, "windows-1252", null);
        var rows = ImportFile.Records(bytes, format).ToList();

        Assert.Equal(name, format.EncodingName);
        Assert.Equal('\t', format.Delimiter);
        Assert.Equal(["tag", "name"], rows[0].Cells);
        Assert.Equal("Łódź", rows[1].Cells[1]);
    }

    [Fact]
    public void Detect_Utf8Mark_IsSkipped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("tag|name\nA-1|x")).ToArray();

        var format = ImportFile.Detect(bytes, null, null);

        Assert.Equal(3, format.PreambleLength);
        Assert.Equal('|', format.Delimiter);
        Assert.Equal("tag", ImportFile.Records(bytes, format).First().Cells[0]);
    }

    [Fact]
    public void Detect_ChosenUtf8_ThatIsNot_IsRefusedWithAMessage()
    {
        var bytes = Windows1252.GetBytes("tag\nCafé\n");

        var refused = Assert.Throws<ImportFileRefusedException>(() => ImportFile.Detect(bytes, "utf-8", null));

        Assert.Contains("not valid UTF-8", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_ChosenDelimiter_WinsOverTheSniff()
    {
        var format = ImportFile.Detect(Encoding.UTF8.GetBytes("a,b;c\n"), null, ";");

        Assert.Equal(';', format.Delimiter);
    }

    [Fact]
    public void Records_QuotedFields_KeepDelimitersNewlinesAndQuotes_AndLinesCountFromTheFile()
    {
        var csv = "tag,notes\r\nA-1,\"one, two\r\nthree \"\"quoted\"\"\"\r\n\r\n,,\r\nA-2,plain\r\n";
        var bytes = Encoding.UTF8.GetBytes(csv);

        var rows = ImportFile.Records(bytes, ImportFile.Detect(bytes, null, null)).ToList();

        Assert.Equal(3, rows.Count);
        Assert.Equal(1, rows[0].Line);
        Assert.Equal(2, rows[1].Line);
        Assert.Equal("one, two\r\nthree \"quoted\"", rows[1].Cells[1]);
        Assert.Equal(6, rows[2].Line);
    }

    [Theory]
    [InlineData("latin-1", null)]
    [InlineData(null, "#")]
    public void ValidateChoices_Unknown_IsRefused(string? encoding, string? delimiter)
    {
        Assert.Throws<OperationRefusedException>(() => ImportFile.ValidateChoices(encoding, delimiter));
    }

    [Fact]
    public void ValidateChoices_Names_BecomeCharacters()
    {
        Assert.Equal((null, "\t"), ImportFile.ValidateChoices(" ", "tab"));
        Assert.Equal(("windows-1252", ";"), ImportFile.ValidateChoices("Windows-1252", "semicolon"));
    }

    [Fact]
    public void Header_UnknownColumn_IsRefused_ListingTheColumns()
    {
        var refused = Assert.Throws<ImportFileRefusedException>(() =>
            ImportHeader.Read(["Tag", "Serail"], ImportKind.Assets, AssetRows.Columns, []));

        Assert.Contains("'Serail'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("tag, serial, name, model, status", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_Aliases_AndCaseAndPunctuation_AreOneColumn()
    {
        var header = ImportHeader.Read(["Asset Tag", "PURCHASE-DATE", "Serial Number"], ImportKind.Assets, AssetRows.Columns, []);

        Assert.True(header.Has(AssetRows.Tag));
        Assert.True(header.Has(AssetRows.PurchaseDate));
        Assert.True(header.Has(AssetRows.Serial));
        Assert.Throws<ImportFileRefusedException>(() => ImportHeader.Read(["tag", "Asset tag"], ImportKind.Assets, AssetRows.Columns, []));
    }
}
