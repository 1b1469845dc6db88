using System.Text.Json;
using System.Text.Unicode;

namespace LogoutFunction.Logout;

/// <summary>
/// <c>{"refresh_token": ...}</c> read from a logout body (other fields are ignored): the refresh
/// token (null when absent or null), or the outcome that refuses the body.
/// </summary>
public readonly record struct RefreshTokenBody(string? RefreshToken, LogoutOutcome? Refusal)
{
    public const int MaxRefreshTokenLength = 4096;

    private static readonly JsonDocumentOptions Strict = new()
    {
        MaxDepth = 32,
        // Two refresh_token fields would let a proxy and this function disagree on which counts.
        AllowDuplicateProperties = false,
    };

    /// <summary>Reads a non-empty body.</summary>
    public static RefreshTokenBody Parse(ReadOnlyMemory<byte> body)
    {
        if (!Utf8.IsValid(body.Span))
        {
            return new(null, LogoutOutcome.BodyNotJsonObject);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, Strict);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: the duplicate-name check unescapes every property
            // name, and a lone surrogate ("\ud800") cannot be.
            return new(null, LogoutOutcome.BodyNotJsonObject);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new(null, LogoutOutcome.BodyNotJsonObject);
            }

            if (!root.TryGetProperty("refresh_token", out var token) || token.ValueKind == JsonValueKind.Null)
            {
                return new(null, null);
            }

            return token.ValueKind == JsonValueKind.String && StringValue(token) is { Length: <= MaxRefreshTokenLength } value
                ? new(value, null)
                : new(null, LogoutOutcome.RefreshTokenInvalid);
        }
    }

    // Valid JSON can still escape a lone UTF-16 surrogate ("\ud800"), which is no string at all.
    private static string? StringValue(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
