using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SideBySide;

/// <summary>
/// The client: <c>wrk</c> (Debian package), a separate native process on kept-alive connections,
/// so that neither the load nor the timing shares a process with what it measures, and latency
/// is recorded in microseconds. A generated Lua script says what to send; wrk reports through it.
/// </summary>
internal static partial class Wrk
{
    // A latency run ends on its count; this only bounds one that never gets there (a hung app).
    private static readonly TimeSpan LongestLatencyRun = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The load: one request over and over on <paramref name="connections"/> connections for
    /// <paramref name="duration"/>. The script sets the request and nothing else, so that wrk
    /// sends a prepared buffer and calls no Lua per request: the lighter the client, the more
    /// of the two cores go to what is measured. Every answer must be 200.
    /// </summary>
    public static async Task<WrkResult> LoadAsync(Uri baseAddress, WrkRequest request, TimeSpan duration, int connections)
    {
        var lua = new StringBuilder();
        lua.AppendLine(CultureInfo.InvariantCulture, $"wrk.method = {LuaString(request.Method)}");
        lua.AppendLine(CultureInfo.InvariantCulture, $"wrk.body = {LuaString(request.Body)}");
        foreach (var (name, value) in request.Headers)
        {
            lua.AppendLine(CultureInfo.InvariantCulture, $"wrk.headers[{LuaString(name)}] = {LuaString(value)}");
        }

        lua.AppendLine("""
            function done(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("wrk-result answered=%d refused=%d failed=%d duration_us=%d p50_us=%.1f\n",
                summary.requests, e.status, e.connect + e.read + e.write + e.timeout, summary.duration, latency:percentile(50)))
            end
            """);
        var result = await RunAsync(new Uri(baseAddress, request.PathAndQuery), lua.ToString(), connections, duration).ConfigureAwait(false);
        return result.Answered > 0 ? result : throw new InvalidOperationException("wrk counted no answers.");
    }

    /// <summary>
    /// Latency: <paramref name="count"/> requests one at a time on one kept-alive connection, the
    /// <paramref name="requests"/> in turn (cycling); every answer must be <paramref name="expectedStatus"/>.
    /// The script counts the answers and, at the count, stops its thread and interrupts wrk
    /// (SIGINT to its own process id, through LuaJIT's FFI), which then reports at once: wrk
    /// itself only stops on a duration.
    /// </summary>
    public static async Task<WrkResult> LatencyAsync(Uri baseAddress, IReadOnlyList<WrkRequest> requests, int count, int expectedStatus = 200)
    {
        var lua = new StringBuilder();
        lua.AppendLine("""
            local ffi = require("ffi")
            ffi.cdef[[ int getpid(void); int kill(int pid, int sig); ]]
            local threads = {}
            local raw = {
            """);
        foreach (var request in requests)
        {
            lua.Append("  {").Append(LuaString(request.Method)).Append(", ").Append(LuaString(request.PathAndQuery)).Append(", {");
            foreach (var (name, value) in request.Headers)
            {
                lua.Append('[').Append(LuaString(name)).Append("] = ").Append(LuaString(value)).Append(", ");
            }

            lua.Append("}, ").Append(LuaString(request.Body)).AppendLine("},");
        }

        lua.AppendLine(CultureInfo.InvariantCulture, $"}}\nlocal count = {count}\nlocal expected = {expectedStatus}");
        lua.AppendLine("""
            function setup(thread) table.insert(threads, thread) end
            function init(args)
              formatted = {}
              for i, r in ipairs(raw) do formatted[i] = wrk.format(r[1], r[2], r[3], r[4]) end
              sent = 0; answered = 0; refused = 0
            end
            function request()
              sent = sent + 1
              return formatted[((sent - 1) % #formatted) + 1]
            end
            function response(status, headers, body)
              answered = answered + 1
              if status ~= expected then refused = refused + 1 end
              if answered == count then
                wrk.thread:stop()
                ffi.C.kill(ffi.C.getpid(), 2)
              end
            end
            function done(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("wrk-result answered=%d refused=%d failed=%d duration_us=%d p50_us=%.1f\n",
                threads[1]:get("answered"), threads[1]:get("refused"), e.connect + e.read + e.write + e.timeout,
                summary.duration, latency:percentile(50)))
            end
            """);
        var result = await RunAsync(baseAddress, lua.ToString(), connections: 1, LongestLatencyRun).ConfigureAwait(false);
        return result.Answered >= count ? result : throw new InvalidOperationException($"wrk stopped after {result.Answered} of {count} answers.");
    }

    private static async Task<WrkResult> RunAsync(Uri url, string script, int connections, TimeSpan duration)
    {
        var scriptPath = Path.Combine(Path.GetTempPath(), $"side-by-side-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(scriptPath, script).ConfigureAwait(false);
        try
        {
            var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "-t", "1", "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{(int)Math.Ceiling(duration.TotalSeconds)}s", "--timeout", "10s", "-s", scriptPath, url.ToString() })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using (var bounded = new CancellationTokenSource(duration + TimeSpan.FromMinutes(1)))
            {
                try
                {
                    await process.WaitForExitAsync(bounded.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    process.Kill();
                    throw new TimeoutException($"wrk did not finish within {duration} and a minute.");
                }
            }

            var text = await output.ConfigureAwait(false);
            var result = Result().Match(text);
            if (process.ExitCode != 0 || !result.Success)
            {
                throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {text}{await errors.ConfigureAwait(false)}");
            }

            int Field(string name) => int.Parse(result.Groups[name].Value, CultureInfo.InvariantCulture);
            if (Field("refused") > 0 || Field("failed") > 0)
            {
                throw new InvalidOperationException($"Not every answer was as expected, so the figures would measure failures:\n{text}");
            }

            return new WrkResult(
                Field("answered"),
                Field("answered") / (double.Parse(result.Groups["duration"].Value, CultureInfo.InvariantCulture) / 1e6),
                double.Parse(result.Groups["median"].Value, CultureInfo.InvariantCulture) / 1000);
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }

    /// <summary>A Lua string literal: printable ASCII as it is, every other byte as a decimal escape.</summary>
    private static string LuaString(string value)
    {
        var literal = new StringBuilder("\"");
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            _ = b is >= 0x20 and < 0x7f and not (byte)'"' and not (byte)'\\'
                ? literal.Append((char)b)
                : literal.Append('\\').Append(b.ToString("000", CultureInfo.InvariantCulture));
        }

        return literal.Append('"').ToString();
    }

    [GeneratedRegex(@"wrk-result answered=(?<answered>\d+) refused=(?<refused>\d+) failed=(?<failed>\d+) duration_us=(?<duration>\d+) p50_us=(?<median>[0-9.]+)")]
    private static partial Regex Result();
}

/// <summary>One request as wrk sends it; Host and Content-Length are added by wrk.</summary>
internal sealed record WrkRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body);

/// <param name="Answered">Answers counted (all as expected).</param>
/// <param name="RequestsPerSecond">Answers over wrk's own run time.</param>
/// <param name="MedianMilliseconds">p50 of wrk's per-request latency (recorded in microseconds).</param>
internal readonly record struct WrkResult(int Answered, double RequestsPerSecond, double MedianMilliseconds);
