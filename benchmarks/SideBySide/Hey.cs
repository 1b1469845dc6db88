using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SideBySide;

/// <summary>
/// The load generator: <c>hey</c> (Debian package), a separate native process, so that load
/// generation does not share the harness's thread pool with the emulated host it measures.
/// </summary>
internal static partial class Hey
{
    /// <summary>Sends <paramref name="requests"/> requests, <paramref name="concurrency"/> at a time; every answer must be 200.</summary>
    public static async Task<LoadResult> RunAsync(Uri baseAddress, BenchRequest request, int requests, int concurrency)
    {
        var start = new ProcessStartInfo("hey")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-n", requests.ToString(CultureInfo.InvariantCulture), "-c", concurrency.ToString(CultureInfo.InvariantCulture), "-m", "POST", "-T", "application/json", "-d", request.Body })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in request.Headers)
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add($"{name}: {value}");
        }

        start.ArgumentList.Add(new Uri(baseAddress, "api/logout" + request.Query).ToString());
        using var process = Process.Start(start) ?? throw new InvalidOperationException("hey did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var bounded = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(bounded.Token).ConfigureAwait(false);
        var text = await output.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"hey failed ({process.ExitCode}): {await errors.ConfigureAwait(false)}");
        }

        // hey sends requests / concurrency per connection, so count what it reports, not what was asked.
        var statuses = StatusCounts().Matches(text).ToList();
        if (statuses is not [var ok] || ok.Groups[1].Value != "200" || text.Contains("Error distribution", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Not every answer was 200, so the figures would measure failures:\n" + text);
        }

        return new LoadResult(
            int.Parse(ok.Groups[2].Value, CultureInfo.InvariantCulture),
            double.Parse(RequestsPerSecond().Match(text).Groups[1].Value, CultureInfo.InvariantCulture),
            double.Parse(Median().Match(text).Groups[1].Value, CultureInfo.InvariantCulture) * 1000);
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"50% in ([0-9.]+) secs")]
    private static partial Regex Median();

    [GeneratedRegex(@"\[(\d{3})\]\s+(\d+) responses")]
    private static partial Regex StatusCounts();
}

internal readonly record struct LoadResult(int Answered, double RequestsPerSecond, double MedianMilliseconds);
