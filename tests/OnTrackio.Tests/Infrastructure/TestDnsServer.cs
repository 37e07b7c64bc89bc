using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace OnTrackio.Tests.Infrastructure;

/// <summary>A real DNS server on a loopback UDP port, answering A, AAAA and TXT queries from records the test sets.</summary>
public sealed class TestDnsServer : IDisposable
{
    private readonly DnsServer _server;
    private readonly ConcurrentDictionary<(string Name, RecordType Type), List<DnsRecordBase>> _records = new();

    public TestDnsServer()
    {
        using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            Port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
        }

        _server = new DnsServer(new UdpServerTransport(new IPEndPoint(IPAddress.Loopback, Port), 2000));
        _server.QueryReceived += OnQueryReceived;
        _server.Start();
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    public void AddTxt(string name, string value) =>
        Add(name, RecordType.Txt, new TxtRecord(DomainName.Parse(name), 60, value));

    public void AddA(string name, IPAddress address) =>
        Add(name, RecordType.A, new ARecord(DomainName.Parse(name), 60, address));

    public void AddAaaa(string name, IPAddress address) =>
        Add(name, RecordType.Aaaa, new AaaaRecord(DomainName.Parse(name), 60, address));

    public void Dispose() => _server.Stop();

    private void Add(string name, RecordType type, DnsRecordBase record) =>
        _records.AddOrUpdate((name.ToLowerInvariant(), type), _ => [record], (_, list) => [.. list, record]);

    private Task OnQueryReceived(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is not DnsMessage query)
        {
            return Task.CompletedTask;
        }

        var response = query.CreateResponseInstance();
        response.ReturnCode = ReturnCode.NoError;
        foreach (var question in query.Questions)
        {
            var name = question.Name.ToString().TrimEnd('.').ToLowerInvariant();
            if (_records.TryGetValue((name, question.RecordType), out var records))
            {
                response.AnswerRecords.AddRange(records);
            }
        }

        e.Response = response;
        return Task.CompletedTask;
    }
}
