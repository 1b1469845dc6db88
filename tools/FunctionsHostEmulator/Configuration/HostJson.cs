using System.Globalization;
using System.Text.Json.Nodes;

namespace FunctionsHostEmulator.Configuration;

/// <summary>The host.json settings the emulator honours.</summary>
internal sealed class HostJson
{
    /// <summary>The host's default when host.json sets no functionTimeout outside the Consumption plan.</summary>
    private static readonly TimeSpan DefaultFunctionTimeout = TimeSpan.FromMinutes(30);

    /// <summary>extensions.http.routePrefix; "api" by default, "" allowed.</summary>
    public string RoutePrefix { get; private init; } = "api";

    /// <summary>functionTimeout; null means unbounded ("-1").</summary>
    public TimeSpan? FunctionTimeout { get; private init; } = DefaultFunctionTimeout;

    public static HostJson Load(string appDirectory)
    {
        var path = Path.Combine(appDirectory, "host.json");
        if (!File.Exists(path))
        {
            // The host refuses a precompiled app without host.json; say so instead of guessing.
            throw new FileNotFoundException($"host.json not found in {appDirectory}; build the app so that host.json is copied to its output.", path);
        }

        var root = JsonFile.Read(path);
        var prefix = JsonFile.AsText((root["extensions"] as JsonObject)?["http"]?["routePrefix"]);
        return new HostJson
        {
            RoutePrefix = (prefix ?? "api").Trim('/'),
            FunctionTimeout = ParseTimeout(JsonFile.AsText(root["functionTimeout"])),
        };
    }

    private static TimeSpan? ParseTimeout(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return DefaultFunctionTimeout;
        }

        if (text.Trim() == "-1")
        {
            return null;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var timeout) && timeout > TimeSpan.Zero
            ? timeout
            : throw new InvalidDataException($"host.json functionTimeout '{text}' is not a time span such as 00:05:00.");
    }
}
