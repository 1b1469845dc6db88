using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LogoutFunction.RefreshTokens;
using LogoutFunction.Tests.Support;

namespace LogoutFunction.Tests.EndToEnd;

/// <summary>The contract over real HTTP, through the worker process (or <c>LOGOUT_BASE_URL</c>).</summary>
[Collection(LogoutAppCollectionDefinition.Name)]
[Trait("Category", "EndToEnd")]
public sealed class LogoutOverHttpTests(LogoutApp app)
{
    private const string UnauthorizedBody = """{"code":401,"message":"JWT Token not found"}""";
    private const string SuccessBody = """{"message":"Successfully logged out"}""";

    private sealed record Answer(HttpStatusCode Status, string Body, HttpResponseMessage Response)
    {
        public string? Header(string name) =>
            Response.Headers.TryGetValues(name, out var values) || Response.Content.Headers.TryGetValues(name, out values)
                ? string.Join(", ", values)
                : null;
    }

    private async Task<Answer> PostAsync(string? body, string? contentType = "application/json", string? authorization = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, "api/logout");
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await app.Client.SendAsync(request);
        return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    private string BearerFor(string user = "alice") => "Bearer " + TestTokens.Create(app.SigningKey, user: user);

    private static void AssertAnswer(Answer answer, HttpStatusCode status, string body)
    {
        Assert.Equal(status, answer.Status);
        Assert.Equal(body, answer.Body);
        Assert.Equal("application/json; charset=utf-8", answer.Header("Content-Type"));
        Assert.Equal("no-store", answer.Header("Cache-Control"));
    }

    [Fact]
    public async Task The_documented_curl_request_revokes_the_seeded_refresh_token()
    {
        var (refreshToken, entity) = await app.SeedAsync("alice");
        var accessToken = TestTokens.Create(app.SigningKey, user: "alice");
        var start = new ProcessStartInfo("curl")
        {
            ArgumentList =
            {
                "--silent", "--show-error", "--max-time", "30", "--include",
                "-X", "POST", new Uri(app.Client.BaseAddress!, "api/logout").ToString(),
                "-H", "Authorization: Bearer " + accessToken,
                "-H", "Content-Type: application/json",
                "-d", $$"""{"refresh_token": "{{refreshToken}}"}""",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var curl = Process.Start(start)!;
        var output = await curl.StandardOutput.ReadToEndAsync();
        await curl.WaitForExitAsync();

        Assert.Equal(0, curl.ExitCode);
        Assert.StartsWith("HTTP/1.1 200", output, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/json; charset=utf-8", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Cache-Control: no-store", output, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("\r\n\r\n" + SuccessBody, output, StringComparison.Ordinal);
        Assert.False(await app.ExistsAsync(entity));
    }

    [Fact]
    public async Task Logging_out_twice_succeeds_twice()
    {
        var (refreshToken, entity) = await app.SeedAsync("alice");
        var body = $$"""{"refresh_token":"{{refreshToken}}"}""";

        AssertAnswer(await PostAsync(body, authorization: BearerFor()), HttpStatusCode.OK, SuccessBody);
        AssertAnswer(await PostAsync(body, authorization: BearerFor()), HttpStatusCode.OK, SuccessBody);
        Assert.False(await app.ExistsAsync(entity));
    }

    [Fact]
    public async Task Someone_elses_refresh_token_stays_in_place()
    {
        var (bobsToken, bobs) = await app.SeedAsync("bob");

        var answer = await PostAsync($$"""{"refresh_token":"{{bobsToken}}"}""", authorization: BearerFor("alice"));

        AssertAnswer(answer, HttpStatusCode.OK, SuccessBody);
        Assert.True(await app.ExistsAsync(bobs));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{}")]
    [InlineData("{\"refresh_token\":null}")]
    public async Task No_refresh_token_still_logs_out(string? body)
    {
        AssertAnswer(await PostAsync(body, authorization: BearerFor()), HttpStatusCode.OK, SuccessBody);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic YWxpY2U6c2VjcmV0")]
    [InlineData("Bearer ")]
    public async Task Row1_no_bearer_token(string? authorization)
    {
        var answer = await PostAsync("{}", authorization: authorization);

        AssertAnswer(answer, HttpStatusCode.Unauthorized, UnauthorizedBody);
        Assert.Equal("Bearer", answer.Header("WWW-Authenticate"));
    }

    [Fact]
    public async Task Row2_invalid_token()
    {
        var forged = TestTokens.SignedWithPublicKeyAsHmacSecret(app.SigningKey);

        var answer = await PostAsync("{}", authorization: "Bearer " + forged);

        AssertAnswer(answer, HttpStatusCode.Unauthorized, UnauthorizedBody);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The signing algorithm is not allowed\"", answer.Header("WWW-Authenticate"));
    }

    [Fact]
    public async Task Row3_expired_token()
    {
        var expired = TestTokens.Create(app.SigningKey, expires: DateTime.UtcNow.AddMinutes(-5), notBefore: DateTime.UtcNow.AddHours(-1));

        var answer = await PostAsync("{}", authorization: "Bearer " + expired);

        AssertAnswer(answer, HttpStatusCode.Unauthorized, UnauthorizedBody);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token expired\"", answer.Header("WWW-Authenticate"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    public async Task Row4_body_not_declared_json(string? contentType)
    {
        var answer = await PostAsync("""{"refresh_token":"r"}""", contentType, BearerFor());

        AssertAnswer(answer, HttpStatusCode.UnsupportedMediaType, """{"code":415,"message":"Content-Type must be application/json"}""");
    }

    [Fact]
    public async Task Row5_body_over_64_KiB()
    {
        var answer = await PostAsync($$"""{"pad":"{{new string('x', 64 * 1024)}}"}""", authorization: BearerFor());

        AssertAnswer(answer, HttpStatusCode.RequestEntityTooLarge, """{"code":413,"message":"Request body too large"}""");
    }

    [Fact]
    public async Task Row6_body_not_a_json_object()
    {
        var answer = await PostAsync("[\"refresh\"]", authorization: BearerFor());

        AssertAnswer(answer, HttpStatusCode.BadRequest, """{"code":400,"message":"Request body must be a JSON object"}""");
    }

    [Fact]
    public async Task Row7_refresh_token_not_a_string()
    {
        var answer = await PostAsync("""{"refresh_token":12345}""", authorization: BearerFor());

        AssertAnswer(answer, HttpStatusCode.BadRequest, """{"code":400,"message":"refresh_token must be a string of at most 4096 characters"}""");
    }

    /// <summary>One logout with a refresh token, served by a second worker of the app with some settings changed.</summary>
    private async Task<(HttpStatusCode Status, string Body, string? RetryAfter, string Output)> LogoutOnWorkerWithAsync(string setting, string value)
    {
        var settings = new Dictionary<string, string?>(app.Settings) { [setting] = value };
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var host = await app.StartHostAsync(settings, output.Enqueue);
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/logout")
        {
            Content = new StringContent("""{"refresh_token":"r"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Create(app.SigningKey, user: "erin"));

        using var response = await client.SendAsync(request);
        var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null;
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), retryAfter, string.Join('\n', output));
    }

    [SkippableFact]
    public async Task Row8_store_unavailable_is_503_with_retry_after()
    {
        Skip.IfNot(LogoutApp.IsEmulated, "needs a second worker with a missing table; runs under the emulator only");

        var (status, body, retryAfter, output) = await LogoutOnWorkerWithAsync("RefreshTokenTable", "TableThatWasNeverCreated");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("""{"code":503,"message":"Logout is temporarily unavailable, please retry"}""", body);
        Assert.Equal("5", retryAfter);
        Assert.Contains("Refresh-token table TableThatWasNeverCreated does not exist", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Row9_something_unexpected_is_500_without_details()
    {
        Skip.IfNot(LogoutApp.IsEmulated, "needs a second worker whose store refuses it; runs under the emulator only");
        using var store = new StubStorageServer(403, "AuthorizationPermissionMismatch");

        var (status, body, retryAfter, output) = await LogoutOnWorkerWithAsync("RefreshTokenStorage", store.ConnectionString);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("""{"code":500,"message":"Internal server error"}""", body);
        Assert.Null(retryAfter);
        Assert.Contains("Logout Failed for user erin", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_methods_and_routes_are_not_found_as_under_the_real_host()
    {
        var get = await PostAsync(null, authorization: BearerFor(), method: HttpMethod.Get);
        using var unknown = await app.Client.PostAsync("api/logoff", null);

        Assert.Equal(HttpStatusCode.NotFound, get.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_browser_preflight_is_answered_by_the_host_and_the_response_allows_the_origin()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "api/logout");
        preflight.Headers.Add("Origin", LogoutApp.CorsOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");

        using var answer = await app.Client.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal(LogoutApp.CorsOrigin, answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", answer.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        var allowedHeaders = answer.Headers.GetValues("Access-Control-Allow-Headers").Single().ToUpperInvariant();
        Assert.Contains("AUTHORIZATION", allowedHeaders, StringComparison.Ordinal);
        Assert.Contains("CONTENT-TYPE", allowedHeaders, StringComparison.Ordinal);

        using var actual = new HttpRequestMessage(HttpMethod.Post, "api/logout");
        actual.Headers.Add("Origin", LogoutApp.CorsOrigin);
        actual.Headers.Add("Authorization", BearerFor());
        using var response = await app.Client.SendAsync(actual);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(LogoutApp.CorsOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [SkippableFact]
    public async Task The_worker_logs_each_outcome_and_never_a_token()
    {
        Skip.IfNot(LogoutApp.IsEmulated, "reads the worker's output, which only the emulated host captures");
        var (refreshToken, _) = await app.SeedAsync("carol");
        var accessToken = TestTokens.Create(app.SigningKey, user: "carol");

        var answer = await PostAsync($$"""{"refresh_token":"{{refreshToken}}"}""", authorization: "Bearer " + accessToken);

        AssertAnswer(answer, HttpStatusCode.OK, SuccessBody);
        var hash = RefreshTokenKey.For(refreshToken, "carol").CorrelationId;
        Assert.Contains($"Logout Revoked for user carol, refresh token {hash}, in ", app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(refreshToken, app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(accessToken, app.Output, StringComparison.Ordinal);
    }
}
