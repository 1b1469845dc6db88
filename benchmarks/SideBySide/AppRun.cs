using System.Diagnostics;
using System.Net;
using FunctionsHostEmulator;

namespace SideBySide;

/// <summary>How much to send; the smoke run only shows that everything runs.</summary>
/// <param name="WarmUp">Load before the measured load: lets tiered compilation settle. With tiered PGO a worker needs about 12 s of load here to reach its steady cost (instrumented code first), so a shorter warm-up measures code still being compiled.</param>
/// <param name="LatencyWarmUpRequests">Before each latency series, the same for the path the load did not take (the store's).</param>
/// <param name="LatencySlices">Each latency series is sent in this many slices, the series taking turns (see <see cref="Round"/>).</param>
internal sealed record Workload(TimeSpan WarmUp, TimeSpan Load, int Concurrency, int LatencyWarmUpRequests, int LatencyRequests, int LatencySlices)
{
    public static readonly Workload Full = new(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(10), 16, 1_000, 1_000, 5);
    public static readonly Workload Smoke = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 16, 10, 20, 2);
}

/// <summary>
/// One app of a round: its cold start, then the app served by the host emulator in a process of
/// its own (<see cref="EmulatorProcess"/>) until disposed.
/// </summary>
internal sealed class AppRun : IAsyncDisposable
{
    private static readonly TimeSpan FirstAnswerTimeout = TimeSpan.FromSeconds(60);

    private readonly EmulatorProcess _host;
    private readonly IReadOnlyList<BenchRequest>? _storeRequests;

    private AppRun(PublishedApp app, EmulatorProcess host, IReadOnlyList<BenchRequest>? storeRequests, double coldStartMs)
    {
        App = app;
        _host = host;
        _storeRequests = storeRequests;
        ColdStartMs = coldStartMs;
    }

    public PublishedApp App { get; }

    public double ColdStartMs { get; }

    public double? PeakMemoryMb => WorkerMemory.PeakMegabytes(_host.WorkerProcessId);

    /// <summary>Times the app's cold start, then serves it for the rest of the round.</summary>
    public static async Task<AppRun> StartAsync(PublishedApp app, Workload workload)
    {
        var storeRequests = app.StoreRequests is null ? null
            : await app.StoreRequests(1 + workload.LatencyWarmUpRequests + workload.LatencyRequests).ConfigureAwait(false);
        var coldStartMs = await ColdStartAsync(app, storeRequests?[0] ?? app.LoadRequest).ConfigureAwait(false);
        await MachineQuiet.WaitAsync().ConfigureAwait(false);
        var host = await EmulatorProcess.StartAsync(app).ConfigureAwait(false);
        return new AppRun(app, host, storeRequests?.Skip(1).ToList(), coldStartMs);
    }

    /// <summary>
    /// Launches the app's worker under the emulated host in this process (already up and warm,
    /// as a long-running host is) and times it to the first 200 of <paramref name="first"/>: a
    /// cold start is hundreds of milliseconds, far above what this process's client adds, and a
    /// host started for it would add its own start to every app alike.
    /// </summary>
    private static async Task<double> ColdStartAsync(PublishedApp app, BenchRequest first)
    {
        await MachineQuiet.WaitAsync().ConfigureAwait(false);
        var launched = Stopwatch.GetTimestamp();
        var host = await FunctionsHost.StartAsync(new FunctionsHostOptions
        {
            AppDirectory = app.Directory,
            HttpPort = 0,
            Settings = app.Settings,
            Output = _ => { },
            StartupTimeout = FirstAnswerTimeout,
        }).ConfigureAwait(false);
        await using (host.ConfigureAwait(false))
        {
            using var client = new HttpClient { Timeout = FirstAnswerTimeout };
            using var message = first.ToMessage(host.BaseAddress);
            using var answer = await client.SendAsync(message).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(launched).TotalMilliseconds;
            return answer.StatusCode == HttpStatusCode.OK
                ? elapsed
                : throw new InvalidOperationException($"{app.Name}: its first request answered {(int)answer.StatusCode}, so the figures would measure failures.");
        }
    }

    /// <summary>Warms up, then measures the load request's throughput, CPU cost and memory; waits for a quiet machine first.</summary>
    public async Task<LoadFigures> LoadAsync(Workload workload)
    {
        var load = App.LoadRequest.ToWrk();
        await MachineQuiet.WaitAsync().ConfigureAwait(false);
        await Wrk.LoadAsync(_host.BaseAddress, load, workload.WarmUp, workload.Concurrency).ConfigureAwait(false);
        var (worker, host) = (WorkerCpu(), HostCpu());
        var measured = await Wrk.LoadAsync(_host.BaseAddress, load, workload.Load, workload.Concurrency).ConfigureAwait(false);
        return new LoadFigures(
            measured.RequestsPerSecond,
            (WorkerCpu() - worker).TotalMicroseconds / measured.Answered,
            (HostCpu() - host).TotalMicroseconds / measured.Answered,
            PeakMemoryMb);
    }

    /// <summary>The app's latency series: its load request, and its store requests when it has them.</summary>
    public IEnumerable<LatencySeries> LatencySeries()
    {
        yield return new LatencySeries(App.Name, RequestKind.Load, _host.BaseAddress, [App.LoadRequest.ToWrk()]);
        if (_storeRequests is not null)
        {
            yield return new LatencySeries(App.Name, RequestKind.Store, _host.BaseAddress, [.. _storeRequests.Select(request => request.ToWrk())]);
        }
    }

    private TimeSpan WorkerCpu()
    {
        using var worker = Process.GetProcessById(_host.WorkerProcessId);
        return worker.TotalProcessorTime;
    }

    private TimeSpan HostCpu() => _host.HostCpu;

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
