using Microsoft.AspNetCore.Http;

namespace OnTrackio;

/// <summary>Where a request came from, as recorded in audit entries and session records (bounded to the columns' sizes).</summary>
internal readonly record struct RequestOrigin(string? IpAddress, string? UserAgent)
{
    public static RequestOrigin Of(HttpContext? context)
    {
        var agent = context?.Request.Headers.UserAgent.ToString();
        return new RequestOrigin(
            context?.Connection.RemoteIpAddress?.ToString(),
            string.IsNullOrEmpty(agent) ? null : agent[..Math.Min(agent.Length, 500)]);
    }
}
