using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace SideBySide;

/// <summary>The figures as Markdown, and the section of docs/performance.md they replace.</summary>
internal static class Report
{
    public const string SideBySideSection = "side-by-side";
    public const string MicroBenchmarksSection = "micro-benchmarks";

    public static string Render(IReadOnlyDictionary<string, List<AppFigures>> figures, BenchOptions options, Workload workload)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd} on {Machine()}: {options.Rounds} round(s), medians; {workload.LoadRequests:N0} requests at concurrency {workload.Concurrency} (hey) after {workload.WarmUpRequests:N0} to warm up, {workload.LatencyRequests:N0} one at a time after {workload.LatencyWarmUpRequests:N0} to warm up.{(options.Smoke ? " SMOKE RUN: too short to mean anything." : "")}");
        text.AppendLine();
        text.AppendLine("LogoutFunction beside its floors:");
        text.AppendLine();
        text.AppendLine("| figure | LogoutFunction | floor | ratio | goal |");
        text.AppendLine("|---|---|---|---|---|");
        Row(text, $"validate-only logout (valid RS256 token, body `{{}}`), requests/s at concurrency {workload.Concurrency}; floor: `noop`", figures, BenchApps.Logout, BenchApps.NoOp, f => f.Load.RequestsPerSecond, "", "at least 0.80x");
        Row(text, "revoking logout, p50 at concurrency 1; floor: `table-delete`", figures, BenchApps.Logout, BenchApps.TableDelete, f => f.MedianLatencyMs, "ms", "at most 1.15x");
        Row(text, "cold start: launch to the first 200 of a logout that reaches the store; floor: `table-delete`", figures, BenchApps.Logout, BenchApps.TableDelete, f => f.ColdStartMs, "ms", "at most 1.0x");
        Row(text, "worker peak RSS after the load; floor: `noop`", figures, BenchApps.Logout, BenchApps.NoOp, f => f.Load.PeakMemoryMb ?? double.NaN, "MB", "at most 1.15x");
        Row(text, "worker peak RSS at the end of the round, after the revoking latency run too; floor: `noop`", figures, BenchApps.Logout, BenchApps.NoOp, f => f.PeakMemoryMb ?? double.NaN, "MB", "none (the store path's share)");
        string[] chain = [BenchApps.NoOp, BenchApps.VerifyAndLog, BenchApps.Logout];
        if (chain.All(figures.ContainsKey))
        {
            text.AppendLine();
            text.AppendLine("The validate-only load beside `noop` and `verify-and-log` (a lower bound: only the signature check, one log entry and the same answer): requests/s, CPU time per answered request during the load run (the worker's, and the emulated host's), and memory.");
            text.AppendLine();
            text.AppendLine("| figure | `noop` | `verify-and-log` | LogoutFunction | `verify-and-log` / `noop` | LogoutFunction / `verify-and-log` |");
            text.AppendLine("|---|---|---|---|---|---|");
            Chain(text, $"requests/s at concurrency {workload.Concurrency}", figures, chain, f => f.Load.RequestsPerSecond, "");
            Chain(text, "worker CPU per request", figures, chain, f => f.Load.WorkerCpuMicroseconds, "µs");
            Chain(text, "host CPU per request", figures, chain, f => f.Load.HostCpuMicroseconds, "µs");
            Chain(text, "worker peak RSS after the load", figures, chain, f => f.Load.PeakMemoryMb ?? double.NaN, "MB");
        }

        string[] parts = [BenchApps.NoOp, BenchApps.LogOnly, BenchApps.VerifyOnly, BenchApps.VerifyAndLog];
        if (parts.All(figures.ContainsKey))
        {
            text.AppendLine();
            text.AppendLine("The bound part by part: `verify-and-log` with only its log entry (`log-only`) or only its signature check (`verify-only`), each beside `noop` (ratio to `noop` in brackets).");
            text.AppendLine();
            text.AppendLine($"| figure | {string.Join(" | ", parts.Select(app => $"`{app}`"))} |");
            text.AppendLine($"|---|{string.Concat(parts.Select(_ => "---|"))}");
            Against(text, $"requests/s at concurrency {workload.Concurrency}", figures, parts, f => f.Load.RequestsPerSecond, "");
            Against(text, "worker CPU per request", figures, parts, f => f.Load.WorkerCpuMicroseconds, "µs");
            Against(text, "host CPU per request", figures, parts, f => f.Load.HostCpuMicroseconds, "µs");
            Against(text, "worker peak RSS after the load", figures, parts, f => f.Load.PeakMemoryMb ?? double.NaN, "MB");
        }
        text.AppendLine();
        text.AppendLine("HTTP model: the same do-nothing function, built-in model vs ASP.NET Core integration.");
        text.AppendLine();
        text.AppendLine("| figure | built-in (`noop`) | ASP.NET Core (`noop-aspnetcore`) | ratio |");
        text.AppendLine("|---|---|---|---|");
        Row(text, "cold start to the first 200", figures, BenchApps.NoOpAspNetCore, BenchApps.NoOp, f => f.ColdStartMs, "ms");
        Row(text, $"requests/s at concurrency {workload.Concurrency}", figures, BenchApps.NoOpAspNetCore, BenchApps.NoOp, f => f.Load.RequestsPerSecond, "");
        Row(text, "p50 at concurrency 1", figures, BenchApps.NoOpAspNetCore, BenchApps.NoOp, f => f.MedianLatencyMs, "ms");
        Row(text, "worker peak RSS after the load", figures, BenchApps.NoOpAspNetCore, BenchApps.NoOp, f => f.Load.PeakMemoryMb ?? double.NaN, "MB");
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

    /// <summary>One figure of several apps, then the ratio of each app to the one before it.</summary>
    private static void Chain(StringBuilder text, string figure, IReadOnlyDictionary<string, List<AppFigures>> figures, string[] apps, Func<AppFigures, double> value, string unit)
    {
        var medians = Medians(figures, apps, value);
        var ratios = medians.Skip(1).Zip(medians, (median, previous) => string.Create(CultureInfo.InvariantCulture, $"{median / previous:0.00}x"));
        text.AppendLine(CultureInfo.InvariantCulture, $"| {figure} | {string.Join(" | ", medians.Select(median => Format(median, unit)).Concat(ratios))} |");
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
