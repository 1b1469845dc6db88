using System.Globalization;
using System.Text.Json.Nodes;

namespace FunctionsHostEmulator.Configuration;

/// <summary>The parts of local.settings.json that Core Tools' <c>func start</c> uses.</summary>
internal sealed class LocalSettings
{
    public static readonly LocalSettings Empty = new();

    /// <summary>"Values": app settings, handed to the worker as environment variables.</summary>
    public IReadOnlyDictionary<string, string?> Values { get; private init; } = new Dictionary<string, string?>();

    /// <summary>"ConnectionStrings": exposed as ConnectionStrings:name settings, as Core Tools does.</summary>
    public IReadOnlyDictionary<string, string?> ConnectionStrings { get; private init; } = new Dictionary<string, string?>();

    /// <summary>"Host.LocalHttpPort".</summary>
    public int? LocalHttpPort { get; private init; }

    /// <summary>"Host.CORS": comma-separated allowed origins.</summary>
    public string? Cors { get; private init; }

    /// <summary>"Host.CORSCredentials".</summary>
    public bool CorsCredentials { get; private init; }

    public static LocalSettings Load(string? path)
    {
        if (path is null)
        {
            return Empty;
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Local settings file not found: {path}", path);
        }

        var root = JsonFile.Read(path);
        var host = root["Host"] as JsonObject;
        return new LocalSettings
        {
            Values = ReadSection(root[nameof(Values)]),
            ConnectionStrings = ReadSection(root[nameof(ConnectionStrings)]),
            LocalHttpPort = ParseInt(JsonFile.AsText(host?[nameof(LocalHttpPort)])),
            Cors = JsonFile.AsText(host?["CORS"]),
            CorsCredentials = bool.TryParse(JsonFile.AsText(host?["CORSCredentials"]), out var credentials) && credentials,
        };
    }

    private static Dictionary<string, string?> ReadSection(JsonNode? node)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (node is JsonObject section)
        {
            foreach (var (key, value) in section)
            {
                result[key] = JsonFile.AsText(value);
            }
        }

        return result;
    }

    private static int? ParseInt(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
}
