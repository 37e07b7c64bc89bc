using System.Net;
using System.Net.Sockets;
using OnTrackio.Outbound;

namespace OnTrackio.Tests.Outbound;

public sealed class PublicAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("fd00:ec2::254")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("224.0.0.1")]
    [InlineData("ff02::1")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("fe80::1")]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("2002:7f00:1::")]
    public void IsPublic_InternalSpecialOrMappedAddress_IsFalse(string address) =>
        Assert.False(PublicAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("1.1.1.1")]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:1.1.1.1")]
    public void IsPublic_PublicUnicastAddress_IsTrue(string address) =>
        Assert.True(PublicAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://127.0.0.1:{port}/")]
    [InlineData("http://2130706433:{port}/")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/")]
    [InlineData("http://localhost:{port}/")]
    public async Task Guarded_LoopbackHowever_Spelt_IsRefusedBeforeAnyConnection(string template)
    {
        using var listener = new TcpListener(IPAddress.IPv6Any, 0) { Server = { DualMode = true } };
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = PublicAddresses.ConnectGuarded(allowLoopback: false) });

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() =>
            client.GetAsync(new Uri(template.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)), TestContext.Current.CancellationToken));

        Assert.Contains("not public", refused.Message, StringComparison.Ordinal);
        Assert.False(listener.Pending(), "The guard let a connection through.");
    }

    [Fact]
    public async Task Guarded_WithLoopbackAllowedForTests_Connects()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = PublicAddresses.ConnectGuarded(allowLoopback: true) });

        var request = client.GetAsync(new Uri($"http://127.0.0.1:{port}/"), TestContext.Current.CancellationToken);
        using var accepted = await listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
        await using var stream = accepted.GetStream();
        var buffer = new byte[1024];
        _ = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken);
        await stream.WriteAsync("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);

        using var response = await request;
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}
