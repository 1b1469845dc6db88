using System.Buffers;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Auth;

/// <summary>
/// Reads a token for <see cref="JsonWebTokenHandler"/> (as its <see cref="TokenValidationParameters.TokenReader"/>)
/// and refuses what the library would accept but RFC 7515 and 7519 do not: any encoding but
/// three unpadded base64url segments, a header or claims set that is not one JSON object with
/// unique member names, a <c>crit</c> header (no extension is understood here), and registered
/// header parameters and claims of the wrong JSON type (a NumericDate is a number, <c>sub</c>
/// a string). The library itself parses the token; this only looks at what it keeps from view.
/// </summary>
internal static class StrictJwsReader
{
    private static readonly SearchValues<char> Base64UrlOrDot =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    private static readonly JsonDocumentOptions UniqueMembers = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    private static readonly string[] StringHeaders = ["alg", "kid", "typ", "cty"];
    private static readonly string[] NumericDateClaims = ["exp", "nbf", "iat"];
    private static readonly string[] StringClaims = ["iss", "sub", "jti"];

    /// <exception cref="StrictJwsException">The token breaks one of the rules above.</exception>
    public static SecurityToken Read(string token, TokenValidationParameters parameters)
    {
        if (!IsCompactJws(token))
        {
            throw StrictJwsException.Malformed;
        }

        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (ArgumentException e)
        {
            throw new StrictJwsException(TokenRefusal.Malformed, e);
        }

        using (var header = ParseObject(jwt.EncodedHeader))
        {
            if (header.RootElement.TryGetProperty("crit", out _))
            {
                throw new StrictJwsException(TokenRefusal.CriticalHeader);
            }

            RequireKind(header.RootElement, StringHeaders, JsonValueKind.String);
        }

        using (var payload = ParseObject(jwt.EncodedPayload))
        {
            RequireKind(payload.RootElement, NumericDateClaims, JsonValueKind.Number);
            RequireKind(payload.RootElement, StringClaims, JsonValueKind.String);
            if (payload.RootElement.TryGetProperty("aud", out var audience) && !IsStringOrStrings(audience))
            {
                throw StrictJwsException.Malformed;
            }
        }

        return jwt;
    }

    /// <summary>
    /// RFC 7515 section 7.1: three base64url segments without padding or whitespace. The
    /// signature may be empty only so that an unsigned token is refused for its algorithm.
    /// </summary>
    private static bool IsCompactJws(string token)
    {
        var rest = token.AsSpan();
        if (rest.IndexOfAnyExcept(Base64UrlOrDot) >= 0)
        {
            return false;
        }

        for (var segment = 0; segment < 2; segment++)
        {
            var dot = rest.IndexOf('.');
            if (dot <= 0)
            {
                return false;
            }

            rest = rest[(dot + 1)..];
        }

        return !rest.Contains('.');
    }

    private static JsonDocument ParseObject(string segment)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(segment), UniqueMembers);
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            // InvalidOperationException: a member name with a lone surrogate cannot be compared for duplicates.
            throw new StrictJwsException(TokenRefusal.Malformed, e);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw StrictJwsException.Malformed;
        }

        return document;
    }

    private static void RequireKind(JsonElement json, string[] members, JsonValueKind kind)
    {
        foreach (var member in members)
        {
            if (json.TryGetProperty(member, out var value) && value.ValueKind != kind)
            {
                throw StrictJwsException.Malformed;
            }
        }
    }

    private static bool IsStringOrStrings(JsonElement audience) =>
        audience.ValueKind == JsonValueKind.String
        || (audience.ValueKind == JsonValueKind.Array && audience.EnumerateArray().All(a => a.ValueKind == JsonValueKind.String));
}
