using System.Globalization;
using DevStorage;
using SideBySide;

// Serves the published apps side by side under the host emulator, several rounds, and reports
// each figure beside its floor from the same run (medians over rounds). See bench.sh.
var options = BenchOptions.Parse(args);
var workload = options.Smoke ? Workload.Smoke : Workload.Full;
await using var store = await BenchStore.StartAsync(RepositoryRoot.Above(Directory.GetCurrentDirectory()) ?? throw new InvalidOperationException("Run this inside the LogoutFunction repository."));
using var tokens = new BenchTokens();
var apps = BenchApps.From(options.AppsDirectory, store, tokens).Where(app => options.Only is null || options.Only.Contains(app.Name)).ToList();

var figures = apps.ToDictionary(app => app.Name, _ => new List<AppFigures>());
var storeAlone = new List<double>();
await HostWarmUp.RunAsync(apps, store, workload);
for (var round = 0; round < options.Rounds; round++)
{
    // Each round starts with another app, so that no app always starts first or carries the load last.
    var order = apps.Skip(round % apps.Count).Concat(apps.Take(round % apps.Count)).ToList();
    Console.Error.WriteLine($"round {round + 1}/{options.Rounds}: {string.Join(", ", order.Select(a => a.Name))}");
    var measured = await Round.RunAsync(order, store, workload);
    foreach (var (name, app) in measured.Apps)
    {
        figures[name].Add(app);
        // Each round's own figures, for the spread the medians hide.
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {app.Load.RequestsPerSecond:N0}/s, worker {app.Load.WorkerCpuMicroseconds:N0} µs/request, p50 {app.LoadLatencyMs:0.000} ms (load) {app.StoreLatencyMs:0.000} ms (store), cold start {app.ColdStartMs:N0} ms"));
    }

    storeAlone.Add(measured.StoreAloneLatencyMs);
}

var report = Report.Render(figures, storeAlone, options, workload);
Console.WriteLine(report);
if (options.ReportPath is { } path)
{
    Report.WriteInto(path, Report.SideBySideSection, report);
    if (options.MicroResults is { } results)
    {
        Report.WriteInto(path, Report.MicroBenchmarksSection, Report.MicroBenchmarks(results));
    }

    Console.Error.WriteLine($"wrote {path}");
}

internal sealed record BenchOptions(string AppsDirectory, int Rounds, bool Smoke, string? ReportPath, string? MicroResults, IReadOnlySet<string>? Only)
{
    public static BenchOptions Parse(string[] args)
    {
        string? apps = null;
        string? report = null;
        string? micro = null;
        HashSet<string>? only = null;
        var rounds = 5;
        var smoke = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--apps" when i + 1 < args.Length:
                    apps = args[++i];
                    break;
                case "--rounds" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    rounds = n;
                    i++;
                    break;
                case "--report" when i + 1 < args.Length:
                    report = args[++i];
                    break;
                case "--micro-results" when i + 1 < args.Length:
                    micro = args[++i];
                    break;
                case "--smoke":
                    smoke = true;
                    break;
                case "--only" when i + 1 < args.Length:
                    only = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    break;
                default:
                    throw new ArgumentException($"Unknown or incomplete option {args[i]}. Usage: SideBySide --apps <published apps dir> [--rounds N] [--smoke] [--only app,app] [--report <markdown file> [--micro-results <BenchmarkDotNet results dir>]]");
            }
        }

        if (only is not null && report is not null)
        {
            throw new ArgumentException("--only measures some apps, so it cannot write the report.");
        }

        return new BenchOptions(apps ?? throw new ArgumentException("--apps is required"), smoke ? 1 : rounds, smoke, report, micro, only);
    }
}
