using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OnTrackio.Web;
using OnTrackio.Web.Endpoints;

namespace OnTrackio.Tests.Infrastructure;

/// <summary>The real web host on a loopback port; requests carry whatever Host header a test chooses.</summary>
public sealed class TestWebHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestWebHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, UseCookies = false }) { BaseAddress = address };
    }

    public Uri Address { get; }

    public int Port => Address.Port;

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TestWebHost> StartAsync(IReadOnlyDictionary<string, string?> configuration, TimeProvider? time = null)
    {
        var app = OnTrackioWebApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(configuration);
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }

            builder.WebHost.UseUrls("http://127.0.0.1:0");

            // Serve wwwroot (scripts, styles) from the web project, as `dotnet run` does: the test's output folder has
            // only the manifest that points there, and without it pages load with no script at all.
            builder.WebHost.UseStaticWebAssets();
            builder.Logging.ClearProviders();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new TestWebHost(app, new Uri(address));
    }

    public Task<HttpResponseMessage> GetAsync(string host, string path, Action<HttpRequestMessage>? configure = null) =>
        SendAsync(HttpMethod.Get, host, path, configure);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string host, string path, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Host = host;
        configure?.Invoke(request);
        return await Client.SendAsync(request);
    }

    /// <summary>Sends a GET with an arbitrary Host header over a raw socket and returns the status code.</summary>
    public async Task<HttpStatusCode> RawGetAsync(string host, string path)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Port);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes($"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.Latin1);
        var statusLine = await reader.ReadLineAsync() ?? string.Empty;
        return (HttpStatusCode)int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The workspace id that the host's workspace database reports about itself.</summary>
    public async Task<Guid> WorkspaceIdAtAsync(string host, Action<HttpRequestMessage>? configure = null)
    {
        using var response = await GetAsync(host, "/api/v1/workspace", configure);
        return await ReadWorkspaceIdAsync(response);
    }

    public static async Task<Guid> ReadWorkspaceIdAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var info = await response.Content.ReadFromJsonAsync<WorkspaceInfo>();
        return info!.Id;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
