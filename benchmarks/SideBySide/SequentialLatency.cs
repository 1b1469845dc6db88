using System.Diagnostics;
using System.Net;

namespace SideBySide;

/// <summary>
/// Latency at concurrency 1, measured here rather than with hey because each request may differ
/// (a revoking logout needs a refresh token of its own): one request at a time, each timed.
/// </summary>
internal static class SequentialLatency
{
    /// <summary>The median milliseconds of <paramref name="count"/> requests; every answer must be 200.</summary>
    public static async Task<double> MedianMillisecondsAsync(HttpClient client, PublishedApp app, Uri baseAddress, int count)
    {
        var timings = new double[count];
        for (var i = 0; i < count; i++)
        {
            using var message = app.Request(i).ToMessage(baseAddress);
            var started = Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(message).ConfigureAwait(false);
            await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
            timings[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{app.Name}: request {i} answered {(int)response.StatusCode}, so the figures would measure failures.");
            }
        }

        return Statistics.Median(timings);
    }
}

internal static class Statistics
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
