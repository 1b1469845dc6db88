namespace FunctionsHostEmulator;

/// <summary>How to start a <see cref="FunctionsHost"/>.</summary>
public sealed class FunctionsHostOptions
{
    /// <summary>The built app's output directory (holds worker.config.json, host.json and the app's dll).</summary>
    public required string AppDirectory { get; init; }

    /// <summary>A local.settings.json whose Values (and Host section) apply; null for none.</summary>
    public string? LocalSettingsPath { get; init; }

    /// <summary>HTTP port on 127.0.0.1. 0 picks a free port; null uses Host.LocalHttpPort from local settings, else 7071.</summary>
    public int? HttpPort { get; init; }

    /// <summary>
    /// App settings that override both local settings and the emulator's environment variables.
    /// A null value removes the setting from the worker's environment.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>How long the worker may take from launch until all functions are loaded.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Receives every output line (worker logs, worker stdout/stderr, host messages). Default: the console.</summary>
    public Action<string>? Output { get; init; }
}
