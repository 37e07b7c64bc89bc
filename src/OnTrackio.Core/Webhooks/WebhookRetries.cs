using System.Net;

namespace OnTrackio.Webhooks;

/// <summary>When a failed attempt is tried again: the schedule with jitter, or what the endpoint asked for with Retry-After.</summary>
internal static class WebhookRetries
{
    /// <summary>An endpoint may ask for a pause, not for a delivery to wait beyond a day.</summary>
    private static readonly TimeSpan LongestRetryAfter = TimeSpan.FromDays(1);

    /// <summary>
    /// The wait before the next attempt after the <paramref name="step"/>-th failed attempt of this round (1 for the
    /// first), or null when the schedule is spent and the delivery gives up. A 429 or 503 with Retry-After waits as long
    /// as the endpoint asked; it still counts as an attempt, so an endpoint cannot hold a delivery forever.
    /// </summary>
    public static TimeSpan? NextWait(int step, WebhookAttemptResult result, WebhookOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var schedule = options.Schedule;
        if (step > schedule.Count)
        {
            return null;
        }

        if (result.StatusCode is (int)HttpStatusCode.TooManyRequests or (int)HttpStatusCode.ServiceUnavailable && result.RetryAfter is { } asked)
        {
            return asked < LongestRetryAfter ? asked : LongestRetryAfter;
        }

        var wait = schedule[step - 1];
        return wait * (1 + (options.Jitter * ((random.NextDouble() * 2) - 1)));
    }
}
