namespace LogoutFunction.Tests.Contract;

/// <summary>
/// One answer of the contract table (docs/contract.md): status, exact body, and the headers
/// that only some rows carry. Every answer is also JSON with <c>Cache-Control: no-store</c>.
/// </summary>
public sealed record ContractAnswer(HttpStatusCode Status, string Body, IReadOnlyDictionary<string, string> ExtraHeaders)
{
    public const string ContentType = "application/json; charset=utf-8";

    /// <summary>The headers only some rows carry; an answer without one must not have it.</summary>
    public static readonly IReadOnlyList<string> OptionalHeaders = ["WWW-Authenticate", "Retry-After"];

    private const string UnauthorizedBody = """{"code":401,"message":"JWT Token not found"}""";

    public static readonly ContractAnswer LoggedOut = new(HttpStatusCode.OK, """{"message":"Successfully logged out"}""");

    /// <summary>Row 1.</summary>
    public static readonly ContractAnswer NoToken = new(HttpStatusCode.Unauthorized, UnauthorizedBody, ("WWW-Authenticate", "Bearer"));

    /// <summary>Row 3a.</summary>
    public static readonly ContractAnswer ScopeInvalid = new(HttpStatusCode.BadRequest, """{"code":400,"message":"scope must be local or global"}""");

    /// <summary>Row 3b.</summary>
    public static readonly ContractAnswer GlobalNotEnabled = new(HttpStatusCode.BadRequest, """{"code":400,"message":"scope global is not enabled"}""");

    /// <summary>Row 3c.</summary>
    public static readonly ContractAnswer LengthRequired = new(HttpStatusCode.LengthRequired, """{"code":411,"message":"Content-Length required"}""");

    /// <summary>Row 4.</summary>
    public static readonly ContractAnswer UnsupportedMediaType = new(HttpStatusCode.UnsupportedMediaType, """{"code":415,"message":"Content-Type must be application/json"}""");

    /// <summary>Row 5.</summary>
    public static readonly ContractAnswer BodyTooLarge = new(HttpStatusCode.RequestEntityTooLarge, """{"code":413,"message":"Request body too large"}""");

    /// <summary>Row 6.</summary>
    public static readonly ContractAnswer NotJsonObject = new(HttpStatusCode.BadRequest, """{"code":400,"message":"Request body must be a JSON object"}""");

    /// <summary>Row 7.</summary>
    public static readonly ContractAnswer BadRefreshToken = new(HttpStatusCode.BadRequest, """{"code":400,"message":"refresh_token must be a string of at most 4096 characters"}""");

    /// <summary>Row 8.</summary>
    public static readonly ContractAnswer Unavailable = new(HttpStatusCode.ServiceUnavailable, """{"code":503,"message":"Logout is temporarily unavailable, please retry"}""", ("Retry-After", "5"));

    /// <summary>Row 9.</summary>
    public static readonly ContractAnswer InternalError = new(HttpStatusCode.InternalServerError, """{"code":500,"message":"Internal server error"}""");

    private ContractAnswer(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
        : this(status, body, headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase))
    {
    }

    /// <summary>Rows 2 and 3: the token was refused for <paramref name="reason"/>.</summary>
    public static ContractAnswer InvalidToken(string reason) =>
        new(HttpStatusCode.Unauthorized, UnauthorizedBody, ("WWW-Authenticate", $"Bearer error=\"invalid_token\", error_description=\"{reason}\""));

    /// <summary>Asserts that an HTTP response is exactly this answer.</summary>
    public async Task AssertMatchesAsync(HttpResponseMessage response) =>
        AssertMatches(response.StatusCode, await response.Content.ReadAsStringAsync(), name =>
            response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null);

    /// <summary>Asserts that an answer is exactly this one; <paramref name="header"/> reads a response header, null when absent.</summary>
    public void AssertMatches(HttpStatusCode status, string body, Func<string, string?> header)
    {
        Assert.Equal(Status, status);
        Assert.Equal(Body, body);
        Assert.Equal(ContentType, header("Content-Type"));
        Assert.Equal("no-store", header("Cache-Control"));
        foreach (var name in OptionalHeaders)
        {
            Assert.Equal(ExtraHeaders.GetValueOrDefault(name), header(name));
        }
    }
}
