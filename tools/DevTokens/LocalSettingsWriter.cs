using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DevTokens;

/// <summary>What <see cref="LocalSettingsWriter.Write"/> did, so Program can say it.</summary>
public enum LocalSettingsOutcome
{
    Written,
    KeptMatching,
    KeptWithDifferentKey,
}

/// <summary>
/// Writes <c>local.settings.json</c> from the committed sample with <c>Jwt__PublicKeys</c> set to
/// the dev public key, so a fresh clone runs without hand-editing. An existing file is the
/// developer's: it is replaced only with --force, and a key mismatch is reported because the
/// minted tokens would then be refused with 401.
/// </summary>
public static class LocalSettingsWriter
{
    public const string PublicKeysSetting = "Jwt__PublicKeys";

    // Relaxed escaping keeps the PEM's '+' readable instead of \u002B; the file is never
    // embedded in HTML, which is all the default escaping guards against.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static LocalSettingsOutcome Write(string samplePath, string outputPath, string publicKeyPem, bool force)
    {
        if (File.Exists(outputPath) && !force)
        {
            var configured = ReadValues(outputPath)?[PublicKeysSetting] is JsonValue value && value.TryGetValue<string>(out var text)
                ? text
                : null;
            return HasKey(configured, publicKeyPem) ? LocalSettingsOutcome.KeptMatching : LocalSettingsOutcome.KeptWithDifferentKey;
        }

        if (!File.Exists(samplePath))
        {
            throw new DevToolException($"No settings sample at {samplePath}; run from the repository root or pass --sample.");
        }

        var root = Parse(samplePath);
        if (root["Values"] is not JsonObject values)
        {
            throw new DevToolException($"{samplePath} has no \"Values\" object.");
        }

        values[PublicKeysSetting] = publicKeyPem;
        var directory = Path.GetDirectoryName(Path.GetFullPath(outputPath));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(outputPath, root.ToJsonString(Indented) + "\n");
        return LocalSettingsOutcome.Written;
    }

    private static JsonObject? ReadValues(string path) => Parse(path)["Values"] as JsonObject;

    private static JsonObject Parse(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new DevToolException($"{path} is not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new DevToolException($"{path} is not valid JSON: line {ex.LineNumber + 1}.", ex);
        }
    }

    // The setting may list several keys (rotation); the dev key being one of them is enough.
    // Line endings and surrounding whitespace do not change a key.
    private static bool HasKey(string? configured, string devPem) =>
        configured is not null && Normalize(configured).Contains(Normalize(devPem), StringComparison.Ordinal);

    private static string Normalize(string pem) => pem.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
}
