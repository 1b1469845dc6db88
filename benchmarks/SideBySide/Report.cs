using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace SideBySide;

/// <summary>The figures as Markdown, and the section of docs/performance.md they replace.</summary>
internal static class Report
{
    private const string Begin = "<!-- side-by-side:begin -->";
    private const string End = "<!-- side-by-side:end -->";

    public static string Render(IReadOnlyDictionary<string, List<AppFigures>> figures, BenchOptions options, Workload workload)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd} on {Machine()}: {options.Rounds} round(s), medians; {workload.LoadRequests:N0} requests at concurrency {workload.Concurrency} (hey) after {workload.WarmUpRequests:N0} to warm up, {workload.LatencyRequests:N0} one at a time.{(options.Smoke ? " SMOKE RUN: too short to mean anything." : "")}");
        text.AppendLine();
        text.AppendLine("HTTP model: the same do-nothing function, built-in model vs ASP.NET Core integration.");
        text.AppendLine();
        text.AppendLine("| figure | built-in (`noop`) | ASP.NET Core (`noop-aspnetcore`) | ratio |");
        text.AppendLine("|---|---|---|---|");
        Row(text, "cold start to the first 200", figures, BenchApps.NoOpAspNetCore, BenchApps.NoOp, f => f.ColdStartMs, "ms");
        Row(text, "requests/s at concurrency 16", figures, BenchApps.NoOpAspNetCore, BenchApps.NoOp, f => f.RequestsPerSecond, "");
        Row(text, "p50 at concurrency 1", figures, BenchApps.NoOpAspNetCore, BenchApps.NoOp, f => f.MedianLatencyMs, "ms");
        Row(text, "worker peak RSS", figures, BenchApps.NoOpAspNetCore, BenchApps.NoOp, f => f.PeakMemoryMb ?? double.NaN, "MB");
        return text.ToString();
    }

    /// <summary>Replaces the generated section of <paramref name="path"/>, keeping everything written around it.</summary>
    public static void WriteInto(string path, string report)
    {
        var existing = File.Exists(path) ? File.ReadAllText(path) : $"{Begin}\n{End}\n";
        var begin = existing.IndexOf(Begin, StringComparison.Ordinal);
        var end = existing.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException($"{path} has no {Begin} ... {End} section to replace.");
        }

        File.WriteAllText(path, existing[..(begin + Begin.Length)] + "\n" + report + existing[end..]);
    }

    private static void Row(StringBuilder text, string figure, IReadOnlyDictionary<string, List<AppFigures>> figures, string subject, string floor, Func<AppFigures, double> value, string unit)
    {
        var subjectValue = Statistics.Median(figures[subject].Select(value));
        var floorValue = Statistics.Median(figures[floor].Select(value));
        text.AppendLine(CultureInfo.InvariantCulture, $"| {figure} | {Format(floorValue, unit)} | {Format(subjectValue, unit)} | {subjectValue / floorValue:0.00}x |");
    }

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
