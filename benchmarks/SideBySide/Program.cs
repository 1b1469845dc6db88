using System.Globalization;
using SideBySide;

// Serves the published apps side by side under the host emulator, several rounds, and reports
// each figure beside its floor from the same run (medians over rounds). See bench.sh.
var options = BenchOptions.Parse(args);
var workload = options.Smoke ? Workload.Smoke : Workload.Full;
var apps = BenchApps.From(options.AppsDirectory);

var figures = apps.ToDictionary(app => app.Name, _ => new List<AppFigures>());
for (var round = 0; round < options.Rounds; round++)
{
    // Each round starts with another app, so that no app always runs first or last.
    foreach (var app in apps.Skip(round % apps.Count).Concat(apps.Take(round % apps.Count)))
    {
        Console.Error.WriteLine($"round {round + 1}/{options.Rounds}: {app.Name}");
        figures[app.Name].Add(await AppRun.MeasureAsync(app, workload));
    }
}

var report = Report.Render(figures, options, workload);
Console.WriteLine(report);
if (options.ReportPath is { } path)
{
    Report.WriteInto(path, report);
    Console.Error.WriteLine($"wrote {path}");
}

internal sealed record BenchOptions(string AppsDirectory, int Rounds, bool Smoke, string? ReportPath)
{
    public static BenchOptions Parse(string[] args)
    {
        string? apps = null;
        string? report = null;
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
                case "--smoke":
                    smoke = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown or incomplete option {args[i]}. Usage: SideBySide --apps <published apps dir> [--rounds N] [--smoke] [--report <markdown file>]");
            }
        }

        return new BenchOptions(apps ?? throw new ArgumentException("--apps is required"), smoke ? 1 : rounds, smoke, report);
    }
}
