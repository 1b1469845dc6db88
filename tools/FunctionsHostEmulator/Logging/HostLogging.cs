using FunctionsHostEmulator.Configuration;
using Microsoft.Extensions.Logging;

namespace FunctionsHostEmulator.Logging;

/// <summary>
/// The host's log categories and host.json's levels for them. The host filters every entry, its own
/// and the worker's, by <c>logging.logLevel</c> (Microsoft.Extensions.Logging rules: the longest
/// matching category prefix wins, "default" for the rest; src/WebJobs.Script/ScriptHostBuilderExtensions.cs),
/// so an app whose host.json cuts a category to warnings pays for no such line per request here either.
/// </summary>
internal static class HostLogging
{
    public static ILoggerFactory CreateFactory(HostJson hostJson, Action<string> output) => LoggerFactory.Create(logging =>
    {
        logging.SetMinimumLevel(hostJson.LogLevels.TryGetValue("default", out var fallback) ? fallback : LogLevel.Information);
        // Framework categories (Kestrel, gRPC, hosting) only matter when something goes wrong.
        logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("Grpc", LogLevel.Warning);
        foreach (var (category, level) in hostJson.LogLevels.Where(rule => !rule.Key.Equals("default", StringComparison.OrdinalIgnoreCase)))
        {
            logging.AddFilter(category, level);
        }

        logging.AddProvider(new OutputLoggerProvider(output));
    });

    /// <summary>A function's own lines, "Executing"/"Executed" (the WebJobs SDK's <c>LogCategories.CreateFunctionCategory</c>).</summary>
    public static string FunctionCategory(string functionName) => "Function." + functionName;

    /// <summary>What a function's code logs during an invocation (<c>LogCategories.CreateFunctionUserCategory</c>).</summary>
    public static string FunctionUserCategory(string functionName) => "Function." + functionName + ".User";

    /// <summary>The worker's logs outside invocations (src/WebJobs.Script.Grpc/Channel/GrpcWorkerChannelFactory.cs).</summary>
    public static string WorkerChannelCategory(string runtime, string workerId) => $"Worker.LanguageWorkerChannel.{runtime}.{workerId}";

    /// <summary>The worker's standard output and error (src/WebJobs.Script/Workers/WorkerConstants.cs).</summary>
    public const string ConsoleCategory = "Host.Function.Console";
}
