using OnTrackio.Tenancy;

namespace OnTrackio.Tests.Tenancy;

public sealed class HostNameTests
{
    [Theory]
    [InlineData("acme.localhost", "acme.localhost")]
    [InlineData("ACME.LocalHost", "acme.localhost")]
    [InlineData("acme.localhost.", "acme.localhost")]
    [InlineData("acme.localhost:8443", "acme.localhost")]
    [InlineData("Acme.Localhost.:80", "acme.localhost")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("BÜCHER.example", "xn--bcher-kva.example")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    [InlineData("127.0.0.1:5080", "127.0.0.1")]
    [InlineData("[::1]:5080", "[::1]")]
    public void TryNormalize_ValidHost_ReturnsCanonicalForm(string raw, string expected)
    {
        Assert.True(HostName.TryNormalize(raw, out var hostname));
        Assert.Equal(expected, hostname);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(".")]
    [InlineData("acme..localhost")]
    [InlineData("acme.localhost:")]
    [InlineData("acme.localhost:port")]
    [InlineData("acme.localhost:1234567")]
    [InlineData("acme.localhost:80:80")]
    [InlineData("-acme.localhost")]
    [InlineData("acme_1.localhost")]
    [InlineData("acme.localhost/evil")]
    [InlineData("acme .localhost")]
    [InlineData("acme.localhost\u0000")]
    [InlineData("[::1")]
    [InlineData("[not-an-ip]")]
    public void TryNormalize_HostileHost_IsRefused(string raw) => Assert.False(HostName.TryNormalize(raw, out _));

    [Fact]
    public void TryNormalize_LabelLongerThan63_IsRefused() =>
        Assert.False(HostName.TryNormalize(new string('a', 64) + ".example", out _));

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("demo.localhost", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("[::1]", true)]
    [InlineData("localhost.example", false)]
    [InlineData("acme.example", false)]
    public void IsLoopback_NamesOnlyThisMachine(string hostname, bool expected) => Assert.Equal(expected, HostName.IsLoopback(hostname));
}
