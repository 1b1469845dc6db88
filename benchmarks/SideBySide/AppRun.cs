using System.Diagnostics;
using System.Net;
using FunctionsHostEmulator;

namespace SideBySide;

/// <summary>How much to send; the smoke run only shows that everything runs.</summary>
/// <param name="WarmUpRequests">Before the load: lets tiered compilation settle, since a shorter warm-up measured code still being compiled.</param>
/// <param name="LatencyWarmUpRequests">Before the latency run, the same for the path the load did not take (the store's).</param>
internal sealed record Workload(int WarmUpRequests, int LoadRequests, int Concurrency, int LatencyWarmUpRequests, int LatencyRequests)
{
    public static readonly Workload Full = new(10_000, 30_000, 16, 1_000, 1_000);
    public static readonly Workload Smoke = new(48, 192, 16, 10, 20);
}

/// <summary>One app of a round, running under the emulated host from its cold start until disposed.</summary>
internal sealed class AppRun : IAsyncDisposable
{
    private static readonly TimeSpan FirstAnswerTimeout = TimeSpan.FromSeconds(60);

    private readonly FunctionsHost _host;
    private readonly IReadOnlyList<BenchRequest> _requests;
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(30) };

    private AppRun(PublishedApp app, FunctionsHost host, IReadOnlyList<BenchRequest> requests, double coldStartMs)
    {
        App = app;
        _host = host;
        _requests = requests;
        ColdStartMs = coldStartMs;
    }

    public PublishedApp App { get; }

    public double ColdStartMs { get; }

    public double? PeakMemoryMb => WorkerMemory.PeakMegabytes(_host.WorkerProcessId);

    /// <summary>Launches the app's worker and times it to the first 200 of its first request.</summary>
    public static async Task<AppRun> StartAsync(PublishedApp app, Workload workload)
    {
        var requests = await app.PrepareRequests(1 + workload.LatencyWarmUpRequests + workload.LatencyRequests).ConfigureAwait(false);
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
        var run = new AppRun(app, host, requests, 0);
        await run.SendAsync(requests[0]).ConfigureAwait(false);
        return new AppRun(app, host, requests, Stopwatch.GetElapsedTime(launched).TotalMilliseconds);
    }

    /// <summary>Warms up, then measures the load request's throughput, CPU cost and memory; waits for a quiet machine first.</summary>
    public async Task<LoadFigures> LoadAsync(Workload workload)
    {
        await MachineQuiet.WaitAsync().ConfigureAwait(false);
        await Hey.RunAsync(_host.BaseAddress, App.LoadRequest, workload.WarmUpRequests, workload.Concurrency).ConfigureAwait(false);
        var (worker, host) = (WorkerCpu(), HostCpu());
        var load = await Hey.RunAsync(_host.BaseAddress, App.LoadRequest, workload.LoadRequests, workload.Concurrency).ConfigureAwait(false);
        return new LoadFigures(
            load.RequestsPerSecond,
            (WorkerCpu() - worker).TotalMicroseconds / load.Answered,
            (HostCpu() - host).TotalMicroseconds / load.Answered,
            PeakMemoryMb);
    }

    /// <summary>Latency request <paramref name="number"/> (from 0), timed in milliseconds; it must answer 200.</summary>
    public async Task<double> TimeRequestAsync(int number)
    {
        var started = Stopwatch.GetTimestamp();
        await SendAsync(_requests[1 + number]).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private TimeSpan WorkerCpu()
    {
        using var worker = Process.GetProcessById(_host.WorkerProcessId);
        return worker.TotalProcessorTime;
    }

    private static TimeSpan HostCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync().ConfigureAwait(false);
    }

    private async Task SendAsync(BenchRequest request)
    {
        using var message = request.ToMessage(_host.BaseAddress);
        using var response = await _client.SendAsync(message).ConfigureAwait(false);
        await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{App.Name}: a request answered {(int)response.StatusCode}, so the figures would measure failures.");
        }
    }
}
