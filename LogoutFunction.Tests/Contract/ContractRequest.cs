namespace LogoutFunction.Tests.Contract;

/// <summary>What a client sends in one case of the contract table; each test suite sends it its own way.</summary>
public sealed record ContractRequest
{
    /// <summary>The <c>Authorization</c> header, made with the key the app trusts; null sends none. Default: a valid token for alice.</summary>
    public Func<TestKey, string?> Authorization { get; init; } = key => Bearer(TestTokens.Create(key, user: "alice"));

    /// <summary>The <c>Content-Type</c> header, sent with a body; null sends none.</summary>
    public string? ContentType { get; init; } = "application/json";

    /// <summary>The body; null sends none. Ignored when <see cref="RefreshTokenOf"/> is set.</summary>
    public byte[]? Body { get; init; }

    /// <summary>The query string after <c>/api/logout</c>, with its <c>?</c>; empty sends none.</summary>
    public string Query { get; init; } = "";

    /// <summary>Sent with <c>Transfer-Encoding: chunked</c> instead of a <c>Content-Length</c>.</summary>
    public bool Chunked { get; init; }

    /// <summary>
    /// Seed a fresh refresh token owned by this user first and send <c>{"refresh_token":"..."}</c>
    /// with it; the case then says whether that entity must still be there afterwards.
    /// </summary>
    public string? RefreshTokenOf { get; init; }

    public static string Bearer(string token) => "Bearer " + token;

    public static byte[] Text(string body) => Encoding.UTF8.GetBytes(body);

    /// <summary>The body to send, given the refresh token seeded for this request (if any).</summary>
    public byte[]? BodyWith(string? seededRefreshToken) =>
        seededRefreshToken is null ? Body : Text($$"""{"refresh_token":"{{seededRefreshToken}}"}""");
}
