using System.Net;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using LogoutFunction.Http;
using LogoutFunction.RefreshTokens;
using LogoutFunction.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LogoutFunction.Tests.Http;

/// <summary>Every row of the contract table (DESIGN section 2), through the function class the worker invokes.</summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class LogoutEndpointTests(AzuriteServer azurite) : IAsyncLifetime, IDisposable
{
    private const string UnauthorizedBody = """{"code":401,"message":"JWT Token not found"}""";
    private const string SuccessBody = """{"message":"Successfully logged out"}""";
    private static readonly TestKey Key = TestKey.Rsa();

    private TableClient _table = null!;
    private LogoutServices _services = null!;

    public async Task InitializeAsync()
    {
        _table = await azurite.CreateTableAsync();
        _services = new LogoutServices(LogoutServices.Settings(Key.PublicPem, azurite.ConnectionString, _table.Name));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _services.Dispose();

    private sealed record Answer(HttpStatusCode Status, string Body, IReadOnlyDictionary<string, string> Headers)
    {
        public string? Header(string name) => Headers.GetValueOrDefault(name);
    }

    private static async Task<Answer> SendAsync(LogoutServices services, byte[] body, params (string, string)[] headers)
    {
        var endpoint = ActivatorUtilities.CreateInstance<LogoutEndpoint>(services.Provider);
        var response = await endpoint.RunAsync(new TestHttpRequest(body, headers), CancellationToken.None);
        response.Body.Position = 0;
        var text = await new StreamReader(response.Body, Encoding.UTF8).ReadToEndAsync();
        var responseHeaders = response.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new Answer(response.StatusCode, text, responseHeaders);
    }

    private Task<Answer> SendAsync(string? json, params (string, string)[] headers) =>
        SendAsync(_services, json is null ? [] : Encoding.UTF8.GetBytes(json), headers);

    private static (string, string) Bearer(string token) => ("Authorization", "Bearer " + token);

    private static readonly (string, string) Json = ("Content-Type", "application/json");

    private static void AssertJsonAndNoStore(Answer answer)
    {
        Assert.Equal("application/json; charset=utf-8", answer.Header("Content-Type"));
        Assert.Equal("no-store", answer.Header("Cache-Control"));
    }

    private static void AssertAnswer(Answer answer, HttpStatusCode status, string body)
    {
        Assert.Equal(status, answer.Status);
        Assert.Equal(body, answer.Body);
        AssertJsonAndNoStore(answer);
    }

    // Row 1
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic YWxpY2U6c2VjcmV0")]
    [InlineData("Bearer")]
    [InlineData("Bearer    ")]
    [InlineData("Bearertoken")]
    public async Task Row1_no_bearer_token_is_401_with_a_plain_challenge(string? authorization)
    {
        var headers = authorization is null ? new[] { Json } : [Json, ("Authorization", authorization)];

        var answer = await SendAsync("""{"refresh_token":"r"}""", headers);

        AssertAnswer(answer, HttpStatusCode.Unauthorized, UnauthorizedBody);
        Assert.Equal("Bearer", answer.Header("WWW-Authenticate"));
    }

    [Theory]
    [InlineData("bearer")]
    [InlineData("BEARER")]
    public async Task Row1_the_scheme_is_case_insensitive(string scheme)
    {
        var answer = await SendAsync(null, ("Authorization", scheme + " " + TestTokens.Create(Key)));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    // Row 2
    [Fact]
    public async Task Row2_an_invalid_token_is_401_with_the_reason_in_the_challenge_only()
    {
        var answer = await SendAsync(null, Bearer(TestTokens.Create(TestKey.Rsa(), kid: "")));

        AssertAnswer(answer, HttpStatusCode.Unauthorized, UnauthorizedBody);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The signature is invalid\"", answer.Header("WWW-Authenticate"));
    }

    [Theory]
    [InlineData("garbage", "The token is malformed")]
    [InlineData("alg-none", "The signing algorithm is not allowed")]
    [InlineData("hs256-confusion", "The signing algorithm is not allowed")]
    [InlineData("no-exp", "The token has no expiry")]
    [InlineData("no-sub", "The token has no user id")]
    [InlineData("unknown-kid", "The signing key is unknown")]
    [InlineData("not-yet-valid", "The token is not valid yet")]
    [InlineData("too-large", "The token is too large")]
    public async Task Row2_each_kind_of_invalid_token_names_its_reason(string kind, string reason)
    {
        var token = kind switch
        {
            "garbage" => "garbage",
            "alg-none" => TestTokens.CreateUnsigned(),
            "hs256-confusion" => TestTokens.SignedWithPublicKeyAsHmacSecret(Key),
            "no-exp" => TestTokens.Create(Key, withExpiry: false),
            "no-sub" => TestTokens.Create(Key, user: ""),
            "unknown-kid" => TestTokens.Create(Key, kid: "unknown"),
            "not-yet-valid" => TestTokens.Create(Key, notBefore: DateTime.UtcNow.AddMinutes(10)),
            _ => TestTokens.Create(Key, extraClaims: new Dictionary<string, object> { ["pad"] = new string('x', 9000) }),
        };

        var answer = await SendAsync(null, Bearer(token));

        AssertAnswer(answer, HttpStatusCode.Unauthorized, UnauthorizedBody);
        Assert.Equal($"Bearer error=\"invalid_token\", error_description=\"{reason}\"", answer.Header("WWW-Authenticate"));
    }

    // Row 3
    [Fact]
    public async Task Row3_an_expired_token_is_401_the_token_expired()
    {
        var token = TestTokens.Create(Key, expires: DateTime.UtcNow.AddMinutes(-5), notBefore: DateTime.UtcNow.AddHours(-1));

        var answer = await SendAsync("""{"refresh_token":"r"}""", Json, Bearer(token));

        AssertAnswer(answer, HttpStatusCode.Unauthorized, UnauthorizedBody);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token expired\"", answer.Header("WWW-Authenticate"));
    }

    // Row 4
    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/jsonx")]
    public async Task Row4_a_body_that_is_not_declared_json_is_415(string? contentType)
    {
        var headers = contentType is null ? new[] { Bearer(TestTokens.Create(Key)) } : [Bearer(TestTokens.Create(Key)), ("Content-Type", contentType)];

        var answer = await SendAsync("""{"refresh_token":"r"}""", headers);

        AssertAnswer(answer, HttpStatusCode.UnsupportedMediaType, """{"code":415,"message":"Content-Type must be application/json"}""");
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON")]
    public async Task Row4_json_with_parameters_or_any_case_is_accepted(string contentType)
    {
        var answer = await SendAsync("""{"refresh_token":"r"}""", ("Content-Type", contentType), Bearer(TestTokens.Create(Key)));

        AssertAnswer(answer, HttpStatusCode.OK, SuccessBody);
    }

    [Fact]
    public async Task Row4_comes_after_the_token_check()
    {
        var answer = await SendAsync("x", ("Content-Type", "text/plain"));

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
    }

    // Row 5
    [Fact]
    public async Task Row5_a_body_over_64_KiB_is_413()
    {
        var body = $$"""{"refresh_token":"r","pad":"{{new string('x', 64 * 1024)}}"}""";

        var answer = await SendAsync(body, Json, Bearer(TestTokens.Create(Key)));

        AssertAnswer(answer, HttpStatusCode.RequestEntityTooLarge, """{"code":413,"message":"Request body too large"}""");
    }

    [Fact]
    public async Task Row5_a_body_of_exactly_64_KiB_is_accepted()
    {
        var prefix = """{"refresh_token":"r","pad":""";
        var body = prefix + "\"" + new string('x', (64 * 1024) - prefix.Length - 3) + "\"}";
        Assert.Equal(64 * 1024, Encoding.UTF8.GetByteCount(body));

        var answer = await SendAsync(body, Json, Bearer(TestTokens.Create(Key)));

        AssertAnswer(answer, HttpStatusCode.OK, SuccessBody);
    }

    // Row 6
    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("\"refresh\"")]
    [InlineData("{\"refresh_token\":\"a\"")]
    [InlineData("{\"refresh_token\":\"a\",\"refresh_token\":\"b\"}")]
    [InlineData(" ")]
    [InlineData("{\"\\ud800\":1,\"refresh_token\":\"x\"}")]
    public async Task Row6_a_body_that_is_not_a_json_object_is_400(string body)
    {
        var answer = await SendAsync(body, Json, Bearer(TestTokens.Create(Key)));

        AssertAnswer(answer, HttpStatusCode.BadRequest, """{"code":400,"message":"Request body must be a JSON object"}""");
    }

    [Fact]
    public async Task Row6_invalid_UTF8_is_400()
    {
        byte[] body = [.. "{\"refresh_token\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        var answer = await SendAsync(_services, body, Json, Bearer(TestTokens.Create(Key)));

        AssertAnswer(answer, HttpStatusCode.BadRequest, """{"code":400,"message":"Request body must be a JSON object"}""");
    }

    // Row 7
    [Theory]
    [InlineData("{\"refresh_token\":42}")]
    [InlineData("{\"refresh_token\":true}")]
    [InlineData("{\"refresh_token\":{\"a\":1}}")]
    [InlineData("{\"refresh_token\":[\"a\"]}")]
    [InlineData("{\"refresh_token\":\"\\ud800\"}")]
    public async Task Row7_a_refresh_token_that_is_not_a_string_is_400(string body)
    {
        var answer = await SendAsync(body, Json, Bearer(TestTokens.Create(Key)));

        AssertAnswer(answer, HttpStatusCode.BadRequest, """{"code":400,"message":"refresh_token must be a string of at most 4096 characters"}""");
    }

    [Fact]
    public async Task Row7_a_refresh_token_over_4096_characters_is_400_and_4096_is_fine()
    {
        var tooLong = await SendAsync($$"""{"refresh_token":"{{new string('r', 4097)}}"}""", Json, Bearer(TestTokens.Create(Key)));
        var longest = await SendAsync($$"""{"refresh_token":"{{new string('r', 4096)}}"}""", Json, Bearer(TestTokens.Create(Key)));

        AssertAnswer(tooLong, HttpStatusCode.BadRequest, """{"code":400,"message":"refresh_token must be a string of at most 4096 characters"}""");
        AssertAnswer(longest, HttpStatusCode.OK, SuccessBody);
    }

    // Row 8
    [Fact]
    public async Task Row8_a_missing_table_is_503_with_retry_after_never_200()
    {
        using var services = new LogoutServices(LogoutServices.Settings(Key.PublicPem, azurite.ConnectionString, "NoSuchTable"));

        var answer = await SendAsync(services, """{"refresh_token":"r"}"""u8.ToArray(), Json, Bearer(TestTokens.Create(Key)));

        AssertAnswer(answer, HttpStatusCode.ServiceUnavailable, """{"code":503,"message":"Logout is temporarily unavailable, please retry"}""");
        Assert.Equal("5", answer.Header("Retry-After"));
    }

    [Fact]
    public async Task Row8_an_unreachable_store_is_503()
    {
        using var services = new LogoutServices(LogoutServices.Settings(Key.PublicPem, AzuriteServer.ConnectionStringFor(FreePort.Next()), _table.Name));

        var answer = await SendAsync(services, """{"refresh_token":"r"}"""u8.ToArray(), Json, Bearer(TestTokens.Create(Key)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
        Assert.Equal("5", answer.Header("Retry-After"));
    }

    [Fact]
    public async Task Row8_a_cancelled_invocation_answers_retry_and_logs_cancelled_not_a_failure()
    {
        using var silent = new SilentStorageServer();
        using var services = new LogoutServices(LogoutServices.Settings(Key.PublicPem, silent.ConnectionString, "RefreshTokens"));
        var endpoint = ActivatorUtilities.CreateInstance<LogoutEndpoint>(services.Provider);
        var request = new TestHttpRequest("""{"refresh_token":"r"}"""u8.ToArray(), Json, Bearer(TestTokens.Create(Key, user: "frank")));
        using var shuttingDown = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        var response = await endpoint.RunAsync(request, shuttingDown.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain(services.Logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains(services.Logs.Entries, e => e.Message.StartsWith("Logout Cancelled for user frank, refresh token ", StringComparison.Ordinal));
    }

    // Row 9
    [Fact]
    public async Task Row9_anything_unexpected_is_500_without_details()
    {
        using var services = new LogoutServices(
            LogoutServices.Settings(Key.PublicPem, azurite.ConnectionString, _table.Name),
            replace => replace.AddSingleton(new TableClient(
                new Uri($"http://127.0.0.1:{azurite.Port}/devstoreaccount1/{_table.Name}?sv=2024-01-01&sig=x"),
                new TableClientOptions { Transport = new BrokenTransport() })));

        var answer = await SendAsync(services, """{"refresh_token":"r"}"""u8.ToArray(), Json, Bearer(TestTokens.Create(Key)));

        AssertAnswer(answer, HttpStatusCode.InternalServerError, """{"code":500,"message":"Internal server error"}""");
        Assert.Contains(services.Logs.Entries, e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException);
        Assert.Contains(services.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.StartsWith("Logout Failed for user alice, refresh token ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Row9_a_store_refusal_that_retrying_will_not_fix_is_500_not_503()
    {
        using var stub = new StubStorageServer(403, "AuthorizationPermissionMismatch");
        using var services = new LogoutServices(LogoutServices.Settings(Key.PublicPem, stub.ConnectionString, "RefreshTokens"));

        var answer = await SendAsync(services, """{"refresh_token":"r"}"""u8.ToArray(), Json, Bearer(TestTokens.Create(Key)));

        AssertAnswer(answer, HttpStatusCode.InternalServerError, """{"code":500,"message":"Internal server error"}""");
        Assert.Null(answer.Header("Retry-After"));
    }

    // Success rows
    [Fact]
    public async Task Revokes_the_callers_refresh_token_and_the_entity_is_gone()
    {
        var entity = await _table.SeedAsync("alices-refresh", "alice");

        var answer = await SendAsync("""{"refresh_token":"alices-refresh"}""", Json, Bearer(TestTokens.Create(Key, user: "alice")));

        AssertAnswer(answer, HttpStatusCode.OK, SuccessBody);
        Assert.False(await _table.ContainsAsync(entity));
    }

    [Fact]
    public async Task Someone_elses_refresh_token_is_left_in_place_and_the_answer_is_the_same()
    {
        var bobs = await _table.SeedAsync("bobs-refresh", "bob");

        var answer = await SendAsync("""{"refresh_token":"bobs-refresh"}""", Json, Bearer(TestTokens.Create(Key, user: "alice")));

        AssertAnswer(answer, HttpStatusCode.OK, SuccessBody);
        Assert.True(await _table.ContainsAsync(bobs));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{}")]
    [InlineData("{\"refresh_token\":null}")]
    [InlineData("{\"refresh_token\":\"never-issued\"}")]
    [InlineData("{\"client\":\"ios\",\"extra\":[1,{\"x\":null}]}")]
    public async Task Nothing_to_revoke_still_succeeds(string? body)
    {
        var headers = body is null ? new[] { Bearer(TestTokens.Create(Key)) } : [Json, Bearer(TestTokens.Create(Key))];

        var answer = await SendAsync(body, headers);

        AssertAnswer(answer, HttpStatusCode.OK, SuccessBody);
        Assert.False(answer.Headers.ContainsKey("WWW-Authenticate"));
    }

    [Fact]
    public async Task Logs_one_entry_with_outcome_user_and_token_hash_but_never_a_token()
    {
        await _table.SeedAsync("secret-refresh-value", "alice");
        var accessToken = TestTokens.Create(Key, user: "alice");

        await SendAsync("""{"refresh_token":"secret-refresh-value"}""", Json, Bearer(accessToken));

        var entry = Assert.Single(_services.Logs.Entries, e => e.Category == "LogoutFunction.Logout.LogoutHandler");
        Assert.Equal("Revoked", entry.Properties["Outcome"]?.ToString());
        Assert.Equal("alice", entry.Properties["UserId"]);
        Assert.Equal(RefreshTokenKey.For("secret-refresh-value", "alice").CorrelationId, entry.Properties["TokenHash"]);
        Assert.DoesNotContain("secret-refresh-value", _services.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(accessToken, _services.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_entries_name_only_what_is_known_at_each_step()
    {
        await SendAsync(null);
        await SendAsync(null, Bearer(TestTokens.Create(Key, withExpiry: false)));
        await SendAsync("[]", Json, Bearer(TestTokens.Create(Key, user: "dave")));

        var messages = _services.Logs.Entries.Where(e => e.Category == "LogoutFunction.Logout.LogoutHandler").Select(e => e.Message).ToList();
        Assert.Equal(3, messages.Count);
        Assert.Matches(@"^Logout Unauthorized \(No bearer token\) in \d+\.\d ms$", messages[0]);
        Assert.Matches(@"^Logout Unauthorized \(The token has no expiry\) in \d+\.\d ms$", messages[1]);
        Assert.Matches(@"^Logout BadRequest \(BodyNotJsonObject\) for user dave in \d+\.\d ms$", messages[2]);
    }

    /// <summary>A transport that fails in a way no store error explains.</summary>
    private sealed class BrokenTransport : HttpPipelineTransport
    {
        public override Request CreateRequest() => new HttpClientTransport().CreateRequest();

        public override void Process(HttpMessage message) => throw new InvalidOperationException("broken transport");

        public override ValueTask ProcessAsync(HttpMessage message) => throw new InvalidOperationException("broken transport");
    }
}
