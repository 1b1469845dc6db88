using System.Text.Json;
using System.Text.Json.Nodes;

namespace FunctionsHostEmulator.Configuration;

/// <summary>Reads the Functions JSON files, which (like the host) tolerate comments, trailing commas and any key casing.</summary>
internal static class JsonFile
{
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = true };

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static JsonObject Read(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), NodeOptions, DocumentOptions) as JsonObject
                ?? throw new InvalidDataException($"{path} does not hold a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>A scalar as the host sees settings: text, whatever its JSON type; null for JSON null or absent.</summary>
    public static string? AsText(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value => value.ToJsonString(),
        _ => node.ToJsonString(),
    };
}
