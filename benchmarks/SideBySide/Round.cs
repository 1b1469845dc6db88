namespace SideBySide;

/// <summary>
/// One round over every app: each starts cold in turn (and stays up), then each carries the
/// load alone, each time on a quiet machine, then all take turns at latency, one request each
/// in rotation, so that a slow moment of the shared store lands on every app alike.
/// </summary>
internal static class Round
{
    public static async Task<IReadOnlyDictionary<string, AppFigures>> RunAsync(IReadOnlyList<PublishedApp> apps, Workload workload)
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

            var timings = runs.ToDictionary(run => run.App.Name, _ => new List<double>());
            for (var number = 0; number < workload.LatencyWarmUpRequests + workload.LatencyRequests; number++)
            {
                foreach (var run in runs)
                {
                    var milliseconds = await run.TimeRequestAsync(number).ConfigureAwait(false);
                    if (number >= workload.LatencyWarmUpRequests)
                    {
                        timings[run.App.Name].Add(milliseconds);
                    }
                }
            }

            return runs.ToDictionary(
                run => run.App.Name,
                run => new AppFigures(run.ColdStartMs, Statistics.Median(timings[run.App.Name]), run.PeakMemoryMb, loads[run.App.Name]));
        }
        finally
        {
            foreach (var run in runs)
            {
                await run.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
