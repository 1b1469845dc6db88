using System.Collections;

namespace FunctionsHostEmulator.Configuration;

/// <summary>
/// Works out the app settings the worker sees, with Core Tools' precedence: local.settings.json Values,
/// overridden by the emulator's own environment variables (a non-empty one wins), overridden by the
/// explicit <see cref="FunctionsHostOptions.Settings"/>.
/// </summary>
internal static class WorkerEnvironment
{
    /// <summary>
    /// Variables to set (non-null) or remove (null) on top of the inherited environment.
    /// </summary>
    public static Dictionary<string, string?> Build(
        LocalSettings localSettings,
        IReadOnlyDictionary<string, string?> overrides,
        string appDirectory,
        Uri baseAddress)
    {
        var inherited = Environment.GetEnvironmentVariables()
            .Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => e.Value as string, StringComparer.Ordinal);

        var result = new Dictionary<string, string?>(StringComparer.Ordinal);

        void AddUnlessInEnvironment(string key, string? value)
        {
            // Core Tools skips a local setting "already defined in current environment variables".
            if (!string.IsNullOrEmpty(key) && value is not null
                && !(inherited.TryGetValue(key, out var existing) && !string.IsNullOrEmpty(existing)))
            {
                result[key] = value;
            }
        }

        foreach (var (key, value) in localSettings.Values)
        {
            AddUnlessInEnvironment(key, value);
        }

        foreach (var (name, value) in localSettings.ConnectionStrings)
        {
            AddUnlessInEnvironment("ConnectionStrings:" + name, value);
        }

        // What Core Tools adds for a local run (it only fills these in when absent).
        AddUnlessInEnvironment("AZURE_FUNCTIONS_ENVIRONMENT", "Development");
        AddUnlessInEnvironment("WEBSITE_HOSTNAME", baseAddress.Authority);
        AddUnlessInEnvironment("AzureWebJobsScriptRoot", appDirectory);

        foreach (var (key, value) in overrides)
        {
            result[key] = value;
        }

        // What the host itself always sets for a dotnet-isolated worker.
        result["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        result["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory;
        return result;
    }
}
