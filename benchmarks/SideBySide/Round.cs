namespace SideBySide;

/// <summary>
/// One round over every app: each starts cold in turn (and stays up), then each carries the
/// load alone, each time on a quiet machine, then every latency series (each app's, and the
/// store alone) is warmed up and timed in slices, the series taking turns slice by slice, so
/// that a slow moment of the machine or the shared store lands on every app alike.
/// </summary>
internal static class Round
{
    public static async Task<RoundFigures> RunAsync(IReadOnlyList<PublishedApp> apps, BenchStore store, Workload workload)
    {
        var runs = new List<AppRun>();
        try
        {
            foreach (var app in apps)
            {
                runs.Add(await AppRun.StartAsync(app, workload).ConfigureAwait(false));
            }

            var loads = new Dictionary<string, LoadFigures>();
            foreach (var run in runs)
            {
                loads[run.App.Name] = await run.LoadAsync(workload).ConfigureAwait(false);
            }

            var storeAlone = new LatencySeries(
                LatencySeries.StoreAlone, RequestKind.Store, store.Endpoint, await store.BareDeletesAsync(workload.LatencyWarmUpRequests + workload.LatencyRequests).ConfigureAwait(false), ExpectedStatus: 204);
            var series = runs.SelectMany(run => run.LatencySeries()).Append(storeAlone).ToList();
            var medians = await TimeInTurnsAsync(series, workload).ConfigureAwait(false);
            double Median(string app, RequestKind kind) =>
                medians.TryGetValue((app, kind), out var slices) ? Statistics.Median(slices) : double.NaN;

            return new RoundFigures(
                runs.ToDictionary(
                    run => run.App.Name,
                    run => new AppFigures(run.ColdStartMs, Median(run.App.Name, RequestKind.Load), Median(run.App.Name, RequestKind.Store), run.PeakMemoryMb, loads[run.App.Name])),
                Median(LatencySeries.StoreAlone, RequestKind.Store));
        }
        finally
        {
            foreach (var run in runs)
            {
                await run.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Each series' p50 per slice.</summary>
    private static async Task<Dictionary<(string App, RequestKind Kind), List<double>>> TimeInTurnsAsync(IReadOnlyList<LatencySeries> series, Workload workload)
    {
        await MachineQuiet.WaitAsync().ConfigureAwait(false);
        foreach (var one in series)
        {
            await one.TimeAsync(0, workload.LatencyWarmUpRequests).ConfigureAwait(false);
        }

        var perSlice = workload.LatencyRequests / workload.LatencySlices;
        var medians = series.ToDictionary(one => (one.App, one.Kind), _ => new List<double>());
        for (var slice = 0; slice < workload.LatencySlices; slice++)
        {
            foreach (var one in series)
            {
                medians[(one.App, one.Kind)].Add(await one.TimeAsync(workload.LatencyWarmUpRequests + (slice * perSlice), perSlice).ConfigureAwait(false));
            }
        }

        return medians;
    }
}
