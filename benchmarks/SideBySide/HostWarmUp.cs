namespace SideBySide;

/// <summary>
/// Serves one app under load once, unmeasured, before the first round, and sends the store
/// its first deletes. The Functions host is a long-running process; the emulator that times
/// cold starts runs in this one, and its own code would otherwise still be compiling while the
/// first round's first app is measured; Azurite (Node.js) compiles its delete path on first use
/// too, which would otherwise land on the first round's store latency.
/// </summary>
internal static class HostWarmUp
{
    public static async Task RunAsync(IReadOnlyList<PublishedApp> apps, BenchStore store, Workload workload)
    {
        // The do-nothing function when measured: it needs no rows seeded in the store.
        var app = apps.FirstOrDefault(a => a.Name == BenchApps.NoOp) ?? apps[0];
        Console.Error.WriteLine($"warming up the host with {app.Name}, and the store");
        await using (var run = await AppRun.StartAsync(app, workload).ConfigureAwait(false))
        {
            await run.LoadAsync(workload).ConfigureAwait(false);
        }

        var deletes = 2 * workload.LatencyWarmUpRequests;
        await new LatencySeries(LatencySeries.StoreAlone, RequestKind.Store, store.Endpoint, await store.BareDeletesAsync(deletes).ConfigureAwait(false), ExpectedStatus: 204)
            .TimeAsync(0, deletes).ConfigureAwait(false);
    }
}
