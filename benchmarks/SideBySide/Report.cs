using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace SideBySide;

/// <summary>The figures as Markdown, and the section of docs/performance.md they replace.</summary>
internal static class Report
{
    public const string SideBySideSection = "side-by-side";
    public const string MicroBenchmarksSection = "micro-benchmarks";

    // The app's own row first, then its floors from the closest bound down.
    private static readonly string[] AppOrder =
        [BenchApps.Logout, BenchApps.VerifyAndLog, BenchApps.VerifyLogDelete, BenchApps.TableDelete, BenchApps.NoOp, BenchApps.VerifyOnly, BenchApps.LogOnly, BenchApps.NoOpAspNetCore];

    public static string Render(IReadOnlyDictionary<string, List<AppFigures>> figures, IReadOnlyList<double> storeAloneMs, BenchOptions options, Workload workload)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd} on {Machine()}: {options.Rounds} round(s), medians; load: {workload.Load.TotalSeconds:0} s at concurrency {workload.Concurrency} after {workload.WarmUp.TotalSeconds:0} s to warm up; latency: {workload.LatencyRequests:N0} requests one at a time on one kept-alive connection in {workload.LatencySlices} slices taking turns with the other series, after {workload.LatencyWarmUpRequests:N0} to warm up; wrk for both.{(options.Smoke ? " SMOKE RUN: too short to mean anything." : "")}");
        text.AppendLine();
        text.AppendLine("LogoutFunction against the contract's bound:");
        text.AppendLine();
        text.AppendLine("| figure | LogoutFunction | floor | ratio | goal |");
        text.AppendLine("|---|---|---|---|---|");
        Row(text, $"validate-only logout (valid RS256 token, body `{{}}`), requests/s at concurrency {workload.Concurrency}; floor: `verify-and-log`", figures, BenchApps.Logout, BenchApps.VerifyAndLog, f => f.Load.RequestsPerSecond, "", "at least 0.95x");
        Row(text, "revoking logout, p50 at concurrency 1; floor: `verify-log-delete`", figures, BenchApps.Logout, BenchApps.VerifyLogDelete, f => f.StoreLatencyMs, "ms", "at most 1.10x");
        Row(text, "validate-only logout, p50 at concurrency 1; floor: `verify-and-log`", figures, BenchApps.Logout, BenchApps.VerifyAndLog, f => f.LoadLatencyMs, "ms", "(reported)");
        Row(text, "cold start: launch to the first 200 of a logout that reaches the store; floor: `table-delete`", figures, BenchApps.Logout, BenchApps.TableDelete, f => f.ColdStartMs, "ms", "at most 0.90x");
        Row(text, "worker peak RSS after the load; floor: `verify-and-log`", figures, BenchApps.Logout, BenchApps.VerifyAndLog, f => f.Load.PeakMemoryMb ?? double.NaN, "MB", "at most 1.10x");

        text.AppendLine();
        text.AppendLine("Every app's own numbers, so that the instrument shows itself: the load request (validate-only for LogoutFunction, the floors' own), a request that reaches the store, CPU time per answered request during the load run (the worker's, and the emulated host's), memory. `store alone` is the same pre-signed delete sent by wrk straight to Azurite.");
        text.AppendLine();
        text.AppendLine($"| app | requests/s at concurrency {workload.Concurrency} | load request p50 at concurrency 1 | store request p50 at concurrency 1 | cold start | worker CPU per request | host CPU per request | worker peak RSS after the load | at the round's end |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var app in AppOrder.Where(figures.ContainsKey))
        {
            string Cell(Func<AppFigures, double> value, string unit) => Format(Statistics.Median(figures[app].Select(value)), unit);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {(app == BenchApps.Logout ? "LogoutFunction" : $"`{app}`")} | {Cell(f => f.Load.RequestsPerSecond, "")} | {Cell(f => f.LoadLatencyMs, "ms")} | {Cell(f => f.StoreLatencyMs, "ms")} | {Cell(f => f.ColdStartMs, "ms")} | {Cell(f => f.Load.WorkerCpuMicroseconds, "µs")} | {Cell(f => f.Load.HostCpuMicroseconds, "µs")} | {Cell(f => f.Load.PeakMemoryMb ?? double.NaN, "MB")} | {Cell(f => f.PeakMemoryMb ?? double.NaN, "MB")} |");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"| `{LatencySeries.StoreAlone}` | | | {Format(Statistics.Median(storeAloneMs), "ms")} | | | | | |");

        string[] parts = [BenchApps.NoOp, BenchApps.LogOnly, BenchApps.VerifyOnly, BenchApps.VerifyAndLog];
        if (parts.All(figures.ContainsKey))
        {
            text.AppendLine();
            text.AppendLine("The bound part by part: `verify-and-log` with only its log entry (`log-only`) or only its signature check (`verify-only`), each beside `noop` (ratio to `noop` in brackets).");
            text.AppendLine();
            text.AppendLine($"| figure | {string.Join(" | ", parts.Select(app => $"`{app}`"))} |");
            text.AppendLine($"|---|{string.Concat(parts.Select(_ => "---|"))}");
            Against(text, $"requests/s at concurrency {workload.Concurrency}", figures, parts, f => f.Load.RequestsPerSecond, "");
            Against(text, "p50 at concurrency 1", figures, parts, f => f.LoadLatencyMs, "ms");
            Against(text, "worker CPU per request", figures, parts, f => f.Load.WorkerCpuMicroseconds, "µs");
            Against(text, "worker peak RSS after the load", figures, parts, f => f.Load.PeakMemoryMb ?? double.NaN, "MB");
        }

        if (figures.ContainsKey(BenchApps.NoOp) && figures.ContainsKey(BenchApps.NoOpAspNetCore))
        {
            text.AppendLine();
            text.AppendLine("HTTP model: the same do-nothing function, built-in model vs ASP.NET Core integration.");
            text.AppendLine();
            text.AppendLine("| figure | built-in (`noop`) | ASP.NET Core (`noop-aspnetcore`) | ratio |");
            text.AppendLine("|---|---|---|---|");
            Row(text, "cold start to the first 200", figures, BenchApps.NoOpAspNetCore, BenchApps.NoOp, f => f.ColdStartMs, "ms");
            Row(text, $"requests/s at concurrency {workload.Concurrency}", figures, BenchApps.NoOpAspNetCore, BenchApps.NoOp, f => f.Load.RequestsPerSecond, "");
            Row(text, "p50 at concurrency 1", figures, BenchApps.NoOpAspNetCore, BenchApps.NoOp, f => f.LoadLatencyMs, "ms");
            Row(text, "worker peak RSS after the load", figures, BenchApps.NoOpAspNetCore, BenchApps.NoOp, f => f.Load.PeakMemoryMb ?? double.NaN, "MB");
        }

        return text.ToString();
    }

    /// <summary>BenchmarkDotNet's GitHub-flavoured tables from <paramref name="resultsDirectory"/>, one per benchmark class.</summary>
    public static string MicroBenchmarks(string resultsDirectory)
    {
        var tables = Directory.GetFiles(resultsDirectory, "*-report-github.md").Order(StringComparer.Ordinal).ToList();
        if (tables.Count == 0)
        {
            throw new InvalidOperationException($"{resultsDirectory} holds no BenchmarkDotNet *-report-github.md results.");
        }

        return string.Join("\n", tables.Select(File.ReadAllText));
    }

    /// <summary>Replaces one generated section of <paramref name="path"/>, keeping everything written around it.</summary>
    public static void WriteInto(string path, string section, string report)
    {
        var (opening, closing) = ($"<!-- {section}:begin -->", $"<!-- {section}:end -->");
        var existing = File.ReadAllText(path);
        var begin = existing.IndexOf(opening, StringComparison.Ordinal);
        var end = existing.IndexOf(closing, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException($"{path} has no {opening} ... {closing} section to replace.");
        }

        File.WriteAllText(path, existing[..(begin + opening.Length)] + "\n" + report + existing[end..]);
    }

    private static void Row(StringBuilder text, string figure, IReadOnlyDictionary<string, List<AppFigures>> figures, string subject, string floor, Func<AppFigures, double> value, string unit, string? goal = null)
    {
        if (!figures.ContainsKey(subject) || !figures.ContainsKey(floor))
        {
            return;
        }

        var subjectValue = Statistics.Median(figures[subject].Select(value));
        var floorValue = Statistics.Median(figures[floor].Select(value));
        if (goal is null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {figure} | {Format(floorValue, unit)} | {Format(subjectValue, unit)} | {subjectValue / floorValue:0.00}x |");
        }
        else
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {figure} | {Format(subjectValue, unit)} | {Format(floorValue, unit)} | {subjectValue / floorValue:0.00}x | {goal} |");
        }
    }

    /// <summary>One figure of several apps, each after the first with its ratio to the first.</summary>
    private static void Against(StringBuilder text, string figure, IReadOnlyDictionary<string, List<AppFigures>> figures, string[] apps, Func<AppFigures, double> value, string unit)
    {
        var medians = Medians(figures, apps, value);
        var cells = medians.Select((median, i) => i == 0 || double.IsNaN(median / medians[0])
            ? Format(median, unit)
            : string.Create(CultureInfo.InvariantCulture, $"{Format(median, unit)} ({median / medians[0]:0.00}x)"));
        text.AppendLine(CultureInfo.InvariantCulture, $"| {figure} | {string.Join(" | ", cells)} |");
    }

    private static List<double> Medians(IReadOnlyDictionary<string, List<AppFigures>> figures, string[] apps, Func<AppFigures, double> value) =>
        [.. apps.Select(app => Statistics.Median(figures[app].Select(value)))];

    private static string Format(double value, string unit) =>
        double.IsNaN(value) ? "n/a" : value.ToString(value >= 100 ? "N0" : "0.00", CultureInfo.InvariantCulture) + (unit.Length > 0 ? " " + unit : "");

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} cores{(cpu is null ? "" : $" ({cpu})")}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }
}
