using System.Text;
using OnTrackio.Identity;

namespace OnTrackio.Tests.Identity;

public sealed class TotpTests
{
    private static readonly byte[] RfcSecret = Encoding.ASCII.GetBytes("12345678901234567890");

    /// <summary>RFC 6238, appendix B (SHA-1 rows).</summary>
    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void Code_MatchesTheRfcTestVectors(long unixSeconds, string expected) =>
        Assert.Equal(expected, Totp.Code(RfcSecret, unixSeconds / Totp.StepSeconds, digits: 8));

    [Fact]
    public void Verify_CodeOfThisOrAnAdjacentStep_IsAccepted_AndReturnsItsStep()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var step = Totp.StepAt(now);

        Assert.Equal(step, Totp.Verify(RfcSecret, Totp.Code(RfcSecret, step), now, null));
        Assert.Equal(step - 1, Totp.Verify(RfcSecret, Totp.Code(RfcSecret, step - 1), now, null));
        Assert.Equal(step + 1, Totp.Verify(RfcSecret, Totp.Code(RfcSecret, step + 1), now, null));
        Assert.Null(Totp.Verify(RfcSecret, Totp.Code(RfcSecret, step - 2), now, null));
        Assert.Null(Totp.Verify(RfcSecret, Totp.Code(RfcSecret, step + 2), now, null));
    }

    [Fact]
    public void Verify_CodeAtOrBeforeTheLastAcceptedStep_IsRefused()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var step = Totp.StepAt(now);
        var code = Totp.Code(RfcSecret, step);
        var accepted = Totp.Verify(RfcSecret, code, now, null);

        Assert.Null(Totp.Verify(RfcSecret, code, now, accepted));
        Assert.Null(Totp.Verify(RfcSecret, Totp.Code(RfcSecret, step - 1), now, accepted));
        Assert.Equal(step + 1, Totp.Verify(RfcSecret, Totp.Code(RfcSecret, step + 1), now.AddSeconds(Totp.StepSeconds), accepted));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    public void Verify_MalformedCode_IsRefused(string? code) =>
        Assert.Null(Totp.Verify(RfcSecret, code, DateTimeOffset.UtcNow, null));

    [Fact]
    public void Verify_AnotherSecretsCode_IsRefused()
    {
        var now = DateTimeOffset.UtcNow;
        var other = Encoding.ASCII.GetBytes("another secret value");

        Assert.Null(Totp.Verify(RfcSecret, Totp.Code(other, Totp.StepAt(now)), now, null));
    }
}
