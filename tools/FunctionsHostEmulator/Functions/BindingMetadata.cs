using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsHostEmulator.Configuration;
using FunctionsHostEmulator.Rpc;

namespace FunctionsHostEmulator.Functions;

/// <summary>One binding of a function, parsed from the raw binding JSON the worker reports when it indexes itself.</summary>
internal sealed record BindingMetadata(string Name, string Type, BindingInfo.Types.Direction Direction, BindingInfo.Types.DataType DataType, JsonObject Raw)
{
    public bool IsTrigger => Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase);

    public static BindingMetadata Parse(string rawJson)
    {
        var raw = JsonNode.Parse(rawJson, new JsonNodeOptions { PropertyNameCaseInsensitive = true }) as JsonObject
            ?? throw new InvalidDataException($"A binding is not a JSON object: {rawJson}");

        var name = JsonFile.AsText(raw["name"]) ?? throw new InvalidDataException($"A binding has no name: {rawJson}");
        var type = JsonFile.AsText(raw["type"]) ?? throw new InvalidDataException($"A binding has no type: {rawJson}");
        var direction = (JsonFile.AsText(raw["direction"]) ?? "in").ToUpperInvariant() switch
        {
            "OUT" => BindingInfo.Types.Direction.Out,
            "INOUT" => BindingInfo.Types.Direction.Inout,
            _ => BindingInfo.Types.Direction.In,
        };
        var dataType = (JsonFile.AsText(raw["dataType"]) ?? string.Empty).ToUpperInvariant() switch
        {
            "STRING" => BindingInfo.Types.DataType.String,
            "BINARY" => BindingInfo.Types.DataType.Binary,
            "STREAM" => BindingInfo.Types.DataType.Stream,
            _ => BindingInfo.Types.DataType.Undefined,
        };
        return new BindingMetadata(name, type, direction, dataType, raw);
    }

    /// <summary>What the host puts in FunctionLoadRequest.metadata.bindings: type, direction, data type.</summary>
    public BindingInfo ToBindingInfo() => new() { Type = Type, Direction = Direction, DataType = DataType };

    /// <summary>A string-array property such as "methods"; null when absent.</summary>
    public IReadOnlyList<string>? GetStrings(string property) => Raw[property] switch
    {
        JsonArray array => [.. array.Select(JsonFile.AsText).OfType<string>()],
        JsonValue value when value.GetValueKind() == JsonValueKind.String => [value.GetValue<string>()],
        _ => null,
    };

    public string? GetString(string property) => JsonFile.AsText(Raw[property]);
}
