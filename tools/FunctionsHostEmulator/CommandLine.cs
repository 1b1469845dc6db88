using System.Globalization;

namespace FunctionsHostEmulator;

/// <summary>The emulator's command line: --app DIR [--settings FILE] [--port N] [--startup-timeout SECONDS].</summary>
internal sealed record CommandLine(string AppDirectory, string? SettingsPath, int? Port, TimeSpan StartupTimeout)
{
    public const string Usage =
        """
        Usage: FunctionsHostEmulator --app <built app output dir> [--settings <local.settings.json>] [--port <n>] [--startup-timeout <seconds>]

          --app               The isolated-worker app's build output (holds worker.config.json and host.json).
          --settings          A local.settings.json: Values become app settings (environment variables
                              override them); Host.LocalHttpPort, Host.CORS and Host.CORSCredentials apply.
          --port              HTTP port on 127.0.0.1 (0 = any free port). Default: Host.LocalHttpPort, else 7071.
          --startup-timeout   Seconds the worker may take to load its functions. Default: 30.
        """;

    /// <summary>Parses <paramref name="args"/>; returns null (with <paramref name="error"/> set, or empty for --help) when it cannot.</summary>
    public static CommandLine? Parse(string[] args, out string error)
    {
        string? app = null;
        string? settings = null;
        int? port = null;
        var timeout = TimeSpan.FromSeconds(30);
        error = string.Empty;

        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help" or "-?")
            {
                return null;
            }

            if (i + 1 >= args.Length)
            {
                error = $"Missing value for {name}.";
                return null;
            }

            var value = args[++i];
            switch (name)
            {
                case "--app":
                    app = value;
                    break;
                case "--settings":
                    settings = value;
                    break;
                case "--port" or "-p" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535:
                    port = p;
                    break;
                case "--startup-timeout" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0:
                    timeout = TimeSpan.FromSeconds(s);
                    break;
                default:
                    error = $"Unknown option or bad value: {name} {value}";
                    return null;
            }
        }

        if (app is null)
        {
            error = "--app is required.";
            return null;
        }

        return new CommandLine(app, settings, port, timeout);
    }
}
