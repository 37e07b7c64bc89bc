using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace OnTrackio.Tests.Infrastructure;

/// <summary>A real SMTP server on a loopback port that keeps what it receives, parsed, for the test to read back.</summary>
public sealed class TestSmtpServer : IDisposable
{
    private readonly SmtpServer.SmtpServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Inbox _inbox = new();

    public TestSmtpServer()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).IsSecure(false))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_inbox);
        _server = new SmtpServer.SmtpServer(options, services);
        _ = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    public IReadOnlyCollection<MimeMessage> Messages => _inbox.Messages;

    /// <summary>Configuration that sends the platform's mail here.</summary>
    public void Configure(Dictionary<string, string?> configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration["OnTrackio:Email:SmtpHost"] = "127.0.0.1";
        configuration["OnTrackio:Email:SmtpPort"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        configuration["OnTrackio:Email:SmtpSecurity"] = "None";
    }

    public async Task<MimeMessage> WaitForAsync(Func<MimeMessage, bool> match)
    {
        for (var i = 0; i < 100; i++)
        {
            var found = _inbox.Messages.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("No matching message reached the test SMTP server.");
    }

    public void Dispose()
    {
        _stop.Cancel();
        _server.Shutdown();
        _stop.Dispose();
    }

    private sealed class Inbox : MessageStore
    {
        public ConcurrentQueue<MimeMessage> Messages { get; } = new();

        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            Messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
