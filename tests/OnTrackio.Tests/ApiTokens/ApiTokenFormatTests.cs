using OnTrackio.ApiTokens;

namespace OnTrackio.Tests.ApiTokens;

public sealed class ApiTokenFormatTests
{
    [Fact]
    public void Issue_ThenParse_GivesBackTheIdAndSecret()
    {
        var id = Guid.CreateVersion7();

        var (token, secret) = ApiTokenFormat.Issue(id);

        Assert.Matches("^otk_[0-9A-Za-z]{71}$", token);
        Assert.True(ApiTokenFormat.TryParse(token, out var parsedId, out var parsedSecret));
        Assert.Equal(id, parsedId);
        Assert.Equal(secret, parsedSecret);
        Assert.Equal(ApiTokenFormat.SecretLength, secret.Length);
    }

    [Fact]
    public void Issue_DrawsADifferentSecretEachTime()
    {
        var id = Guid.CreateVersion7();

        var secrets = Enumerable.Range(0, 100).Select(_ => ApiTokenFormat.Issue(id).Secret).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(100, secrets.Count);
    }

    [Fact]
    public void EveryOneCharacterTypo_IsRefusedByTheChecksum()
    {
        var (token, _) = ApiTokenFormat.Issue(Guid.CreateVersion7());
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

        var accepted = 0;
        for (var position = ApiTokenFormat.Prefix.Length; position < token.Length; position++)
        {
            var typo = token.ToCharArray();
            typo[position] = alphabet[(alphabet.IndexOf(token[position], StringComparison.Ordinal) + 1) % alphabet.Length];
            accepted += ApiTokenFormat.TryParse(new string(typo), out _, out _) ? 1 : 0;
        }

        Assert.Equal(0, accepted);
    }

    [Theory]
    [InlineData("")]
    [InlineData("otk_")]
    [InlineData("ghp_0123456789012345678901234567890123456789")]
    public void NotAToken_IsRefused(string text) => Assert.False(ApiTokenFormat.TryParse(text, out _, out _));

    [Fact]
    public void WrongPrefix_OrExtraCharacter_IsRefused()
    {
        var (token, _) = ApiTokenFormat.Issue(Guid.CreateVersion7());

        Assert.False(ApiTokenFormat.TryParse("otx_" + token[4..], out _, out _));
        Assert.False(ApiTokenFormat.TryParse(token + "A", out _, out _));
        Assert.False(ApiTokenFormat.TryParse(token[..^1] + "-", out _, out _));
    }

    [Fact]
    public void Matches_ComparesTheSecretWithItsHash()
    {
        var (_, secret) = ApiTokenFormat.Issue(Guid.CreateVersion7());
        var hash = ApiTokenFormat.Hash(secret);

        Assert.Equal(32, hash.Length);
        Assert.True(ApiTokenFormat.Matches(secret, hash));
        Assert.False(ApiTokenFormat.Matches(secret[..^1] + (secret[^1] == 'a' ? 'b' : 'a'), hash));
    }

    [Fact]
    public void Display_ShowsThePrefixAndTheLastFour()
    {
        var id = Guid.CreateVersion7();
        var (token, _) = ApiTokenFormat.Issue(id);

        var shown = ApiTokenFormat.Display(id, token[^4..]);

        Assert.Equal($"{token[..10]}…{token[^4..]}", shown);
    }
}
