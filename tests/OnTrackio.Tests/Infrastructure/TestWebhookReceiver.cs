using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OnTrackio.Tests.Infrastructure;

/// <summary>One request the receiver got: its headers and its body exactly as the bytes arrived.</summary>
public sealed record ReceivedWebhook(string Path, string Id, string Timestamp, string Signature, byte[] Body, DateTimeOffset ArrivedAt)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}

/// <summary>What the receiver answers one request with.</summary>
public sealed record ReceiverAnswer(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static readonly ReceiverAnswer Ok = new(200, "thanks");
}

/// <summary>
/// A real HTTP endpoint on a loopback port (Kestrel) that keeps every request it gets, for a test to read back, and
/// answers as the test says: by default 200, or by a script of answers given in turn (the last one repeats).
/// </summary>
public sealed class TestWebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private Func<ReceivedWebhook, int, ReceiverAnswer> _answer = (_, _) => ReceiverAnswer.Ok;
    private int _count;

    private TestWebhookReceiver(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public int Port => Address.Port;

    /// <summary>An endpoint URL on this receiver.</summary>
    public string Url(string path = "/hook") => new Uri(Address, path).AbsoluteUri;

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<TestWebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new TestWebhookReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        return receiver;
    }

    /// <summary>Answers the requests in turn with <paramref name="answers"/>; once they run out, the last one repeats.</summary>
    public void AnswerInTurn(params ReceiverAnswer[] answers) => _answer = (_, index) => answers[Math.Min(index, answers.Length - 1)];

    public void Answer(Func<ReceivedWebhook, int, ReceiverAnswer> answer) => _answer = answer;

    /// <summary>Waits until <paramref name="count"/> requests matching <paramref name="match"/> have arrived, and returns them.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, Func<ReceivedWebhook, bool>? match = null, int seconds = 30)
    {
        for (var waited = 0; waited < seconds * 20; waited++)
        {
            var found = _received.Where(match ?? (_ => true)).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{count} matching webhook requests did not arrive within {seconds} s; {_received.Count} arrived in all.");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var received = new ReceivedWebhook(
            context.Request.Path, context.Request.Headers["webhook-id"].ToString(), context.Request.Headers["webhook-timestamp"].ToString(),
            context.Request.Headers["webhook-signature"].ToString(), body.ToArray(), DateTimeOffset.UtcNow);
        var answer = _answer(received, Interlocked.Increment(ref _count) - 1);
        _received.Enqueue(received);
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (answer.Body is not null)
        {
            await context.Response.WriteAsync(answer.Body);
        }
    }
}
