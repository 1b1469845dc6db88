using System.Diagnostics;
using System.Net;
using FunctionsHostEmulator;

namespace SideBySide;

/// <summary>What one round measured of one app.</summary>
/// <param name="ColdStartMs">From launching the worker to the first 200 of its first request.</param>
/// <param name="RequestsPerSecond">The load request at <see cref="Workload.Concurrency"/>.</param>
/// <param name="MedianLatencyMs">Requests one at a time.</param>
/// <param name="PeakMemoryMb">The worker's peak resident memory after both runs (Linux only).</param>
internal sealed record AppFigures(double ColdStartMs, double RequestsPerSecond, double MedianLatencyMs, double? PeakMemoryMb);

/// <summary>How much to send; the smoke run only shows that everything runs.</summary>
internal sealed record Workload(int WarmUpRequests, int LoadRequests, int Concurrency, int LatencyRequests)
{
    public static readonly Workload Full = new(3_000, 20_000, 16, 2_000);
    public static readonly Workload Smoke = new(50, 200, 16, 20);
}

/// <summary>One round of one app: a cold start under the emulated host, then load, then latency.</summary>
internal static class AppRun
{
    private static readonly TimeSpan FirstAnswerTimeout = TimeSpan.FromSeconds(60);

    public static async Task<AppFigures> MeasureAsync(PublishedApp app, Workload workload)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var launched = Stopwatch.GetTimestamp();
        await using var host = await FunctionsHost.StartAsync(new FunctionsHostOptions
        {
            AppDirectory = app.Directory,
            HttpPort = 0,
            Settings = app.Settings,
            Output = _ => { },
            StartupTimeout = FirstAnswerTimeout,
        }).ConfigureAwait(false);
        await FirstOkAsync(client, app, host.BaseAddress).ConfigureAwait(false);
        var coldStart = Stopwatch.GetElapsedTime(launched).TotalMilliseconds;

        await Hey.RunAsync(host.BaseAddress, app.LoadRequest, workload.WarmUpRequests, workload.Concurrency).ConfigureAwait(false);
        var load = await Hey.RunAsync(host.BaseAddress, app.LoadRequest, workload.LoadRequests, workload.Concurrency).ConfigureAwait(false);
        var latency = await SequentialLatency.MedianMillisecondsAsync(client, app, host.BaseAddress, workload.LatencyRequests).ConfigureAwait(false);
        return new AppFigures(coldStart, load.RequestsPerSecond, latency, WorkerMemory.PeakMegabytes(host.WorkerProcessId));
    }

    private static async Task FirstOkAsync(HttpClient client, PublishedApp app, Uri baseAddress)
    {
        using var message = app.Request(-1).ToMessage(baseAddress);
        using var response = await client.SendAsync(message).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{app.Name}: the first request answered {(int)response.StatusCode}.");
        }
    }
}
