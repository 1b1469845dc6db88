using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

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

    /// <summary>extensions.http.maxConcurrentRequests; -1 (unbounded) by default, as the host outside Windows Consumption.</summary>
    public int MaxConcurrentRequests { get; private init; } = -1;

    /// <summary>extensions.http.maxOutstandingRequests; -1 (unbounded) by default.</summary>
    public int MaxOutstandingRequests { get; private init; } = -1;

    /// <summary>
    /// logging.logLevel: the least level logged per category ("default" for the rest), which the host
    /// hands to Microsoft.Extensions.Logging as its filter configuration
    /// (src/WebJobs.Script/ScriptHostBuilderExtensions.cs: AddConfiguration of AzureFunctionsJobHost:Logging).
    /// </summary>
    public IReadOnlyDictionary<string, LogLevel> LogLevels { get; private init; } = new Dictionary<string, LogLevel>();

    public static HostJson Load(string appDirectory)
    {
        var path = Path.Combine(appDirectory, "host.json");
        if (!File.Exists(path))
        {
            // The host refuses a precompiled app without host.json; say so instead of guessing.
            throw new FileNotFoundException($"host.json not found in {appDirectory}; build the app so that host.json is copied to its output.", path);
        }

        var root = JsonFile.Read(path);
        var http = (root["extensions"] as JsonObject)?["http"];
        var prefix = JsonFile.AsText(http?["routePrefix"]);
        return new HostJson
        {
            RoutePrefix = (prefix ?? "api").Trim('/'),
            FunctionTimeout = ParseTimeout(JsonFile.AsText(root["functionTimeout"])),
            MaxConcurrentRequests = ParseLimit(JsonFile.AsText(http?["maxConcurrentRequests"]), "maxConcurrentRequests"),
            MaxOutstandingRequests = ParseLimit(JsonFile.AsText(http?["maxOutstandingRequests"]), "maxOutstandingRequests"),
            LogLevels = ParseLogLevels((root["logging"] as JsonObject)?["logLevel"] as JsonObject),
        };
    }

    private static Dictionary<string, LogLevel> ParseLogLevels(JsonObject? levels)
    {
        var parsed = new Dictionary<string, LogLevel>(StringComparer.OrdinalIgnoreCase);
        foreach (var (category, value) in levels ?? [])
        {
            var text = JsonFile.AsText(value);
            parsed[category] = Enum.TryParse<LogLevel>(text, ignoreCase: true, out var level) && Enum.IsDefined(level)
                ? level
                : throw new InvalidDataException($"host.json logging.logLevel.{category} '{text}' is not a log level such as Information.");
        }

        return parsed;
    }

    private static int ParseLimit(string? text, string name) =>
        text is null ? -1
        : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var limit) && (limit == -1 || limit > 0) ? limit
        : throw new InvalidDataException($"host.json extensions.http.{name} '{text}' is not a positive number or -1.");

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
