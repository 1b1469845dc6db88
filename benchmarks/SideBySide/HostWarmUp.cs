namespace SideBySide;

/// <summary>
/// Serves one app under load once, unmeasured, before the first round. The Functions host is a
/// long-running process; the emulator runs in this one, and its own code would otherwise still
/// be compiling while the first round's first app is measured.
/// </summary>
internal static class HostWarmUp
{
    public static async Task RunAsync(IReadOnlyList<PublishedApp> apps, Workload workload)
    {
        // The do-nothing function when measured: it needs no rows seeded in the store.
        var app = apps.FirstOrDefault(a => a.Name == BenchApps.NoOp) ?? apps[0];
        Console.Error.WriteLine($"warming up the host with {app.Name}");
        await using var run = await AppRun.StartAsync(app, workload).ConfigureAwait(false);
        await run.LoadAsync(workload).ConfigureAwait(false);
    }
}
