using System.Globalization;
using System.Net;
using System.Text;
using LogoutFunction.Tests.EndToEnd;
using DevStorage;
using LogoutFunction.Tests.Contract;
using LogoutFunction.Tests.Support;

namespace FunctionsHostEmulator.Tests;

/// <summary>
/// What the platform does with a request before, around or instead of the function: framing,
/// the host's size limit, other methods and routes, CORS, start-up. docs/contract.md lists these answers.
/// </summary>
[Collection(EmulatedApp.Name)]
[Trait("Category", "EndToEnd")]
public sealed class HostAnswersTests(LogoutApp app)
{
    private string Head(string contentLength, string user = "alice") =>
        $"""
        POST /api/logout HTTP/1.1
        Host: 127.0.0.1
        Authorization: Bearer {TestTokens.Create(app.SigningKey, user: user)}
        Content-Type: application/json
        {contentLength}
        """;

    [Fact]
    public async Task A_content_length_above_the_bytes_sent_never_revokes_and_is_never_200()
    {
        var (refreshToken, entity) = await app.SeedAsync("alice");
        var body = Encoding.UTF8.GetBytes($$"""{"refresh_token":"{{refreshToken}}"}""");

        var statuses = await RawHttp.ExchangeAsync(app.Client.BaseAddress!, Head($"Content-Length: {body.Length + 100}\n"), body, closeAfterSending: true);

        // The host cannot bind a body that ends early: its answer is 500, or none at all.
        Assert.DoesNotContain(200, statuses);
        Assert.True(await app.ExistsAsync(entity));
    }

    [Fact]
    public async Task A_content_length_below_the_bytes_sent_cuts_the_body_and_the_rest_is_refused()
    {
        var (refreshToken, entity) = await app.SeedAsync("alice");
        var body = Encoding.UTF8.GetBytes($$"""{"refresh_token":"{{refreshToken}}"}""");

        var statuses = await RawHttp.ExchangeAsync(app.Client.BaseAddress!, Head("Content-Length: 10\n"), [.. body, .. "\r\n\r\n"u8], closeAfterSending: false);

        // The first 10 bytes are the body (not a JSON object: row 6); the rest is no request at all.
        Assert.Equal([400, 400], statuses);
        Assert.True(await app.ExistsAsync(entity));
    }

    [Fact]
    public async Task Bytes_after_the_headers_without_any_length_are_not_a_body()
    {
        var (refreshToken, entity) = await app.SeedAsync("alice");
        var body = Encoding.UTF8.GetBytes($$"""{"refresh_token":"{{refreshToken}}"}""");

        var statuses = await RawHttp.ExchangeAsync(app.Client.BaseAddress!, Head(""), [.. body, .. "\r\n\r\n"u8], closeAfterSending: false);

        // RFC 9112 section 6.3: a request with neither Content-Length nor Transfer-Encoding has no
        // body, so the logout is a bodiless one (200); the stray bytes are a malformed next request.
        Assert.Equal([200, 400], statuses);
        Assert.True(await app.ExistsAsync(entity));
    }

    [SkippableFact]
    public async Task A_body_over_the_hosts_size_limit_gets_the_hosts_500_and_never_reaches_the_function()
    {
        Skip.IfNot(LogoutApp.IsEmulated, "needs a second worker with a small FUNCTIONS_REQUEST_BODY_SIZE_LIMIT; runs under the emulator only");
        var (refreshToken, entity) = await app.SeedAsync("alice");
        var settings = new Dictionary<string, string?>(app.Settings) { ["FUNCTIONS_REQUEST_BODY_SIZE_LIMIT"] = "1000" };
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var host = await app.StartHostAsync(settings, output.Enqueue);
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        var body = $$"""{"refresh_token":"{{refreshToken}}","pad":"{{new string('x', 1000)}}"}""";

        using var oversized = await client.SendAsync(LogoutRequest(body, chunked: false));
        using var chunked = await client.SendAsync(LogoutRequest(body, chunked: true));

        Assert.Equal(HttpStatusCode.InternalServerError, oversized.StatusCode);
        Assert.Equal("", await oversized.Content.ReadAsStringAsync());
        Assert.Contains("Request body too large", string.Join('\n', output), StringComparison.Ordinal);
        Assert.DoesNotContain(output, line => line.StartsWith("Logout ", StringComparison.Ordinal) && !line.StartsWith("Logout BadRequest (LengthRequired)", StringComparison.Ordinal));
        // A chunked body is never read, so the limit never applies to it: the function sees it lost.
        await ContractAnswer.LengthRequired.AssertMatchesAsync(chunked);
        Assert.True(await app.ExistsAsync(entity));
    }

    private HttpRequestMessage LogoutRequest(string body, bool chunked)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/logout") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TransferEncodingChunked = chunked;
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + TestTokens.Create(app.SigningKey));
        return request;
    }

    [SkippableFact]
    public async Task Past_host_jsons_outstanding_request_limit_the_host_answers_429()
    {
        Skip.IfNot(LogoutApp.IsEmulated, "needs a copy of the app with a host.json of its own; runs under the emulator only");
        using var copy = AppCopy.WithHostJson(LogoutApp.AppDirectory, """{"version":"2.0","extensions":{"http":{"routePrefix":"api","maxConcurrentRequests":1,"maxOutstandingRequests":1}}}""");
        using var silentStore = new SilentStorageServer();
        var settings = new Dictionary<string, string?>(app.Settings) { ["RefreshTokenStorage"] = silentStore.ConnectionString };
        await using var host = await FunctionsHost.StartAsync(new FunctionsHostOptions { AppDirectory = copy.Directory, HttpPort = 0, Settings = settings, Output = _ => { } });
        using var client = new HttpClient { BaseAddress = host.BaseAddress };

        // The first logout waits on the silent store for its 5 s budget and holds the only place.
        var holding = client.SendAsync(LogoutRequest("""{"refresh_token":"r"}""", chunked: false));
        await Task.Delay(TimeSpan.FromSeconds(1));
        using var refused = await client.SendAsync(LogoutRequest("""{"refresh_token":"r"}""", chunked: false));
        using var held = await holding;

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("1", refused.Headers.GetValues("X-FUNCTION-SCALEOUT").Single());
        Assert.Equal("", await refused.Content.ReadAsStringAsync());
        await ContractAnswer.Unavailable.AssertMatchesAsync(held);
    }

    [Fact]
    public async Task Other_methods_and_routes_are_an_empty_404_as_under_the_real_host()
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "api/logout");
        get.Headers.TryAddWithoutValidation("Authorization", "Bearer " + TestTokens.Create(app.SigningKey));
        using var getAnswer = await app.Client.SendAsync(get);
        using var unknown = await app.Client.PostAsync("api/logoff", null);

        Assert.Equal(HttpStatusCode.NotFound, getAnswer.StatusCode);
        Assert.Equal("", await getAnswer.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("", await unknown.Content.ReadAsStringAsync());
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
        actual.Headers.Add("Authorization", "Bearer " + TestTokens.Create(app.SigningKey));
        using var response = await app.Client.SendAsync(actual);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(LogoutApp.CorsOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [SkippableFact]
    public async Task A_request_that_arrives_while_the_worker_starts_waits_for_it()
    {
        Skip.IfNot(LogoutApp.IsEmulated, "starts a worker of its own; runs under the emulator only");
        var port = LoopbackPort.Free();
        var starting = app.StartHostAsync(app.Settings, _ => { }, port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"), Timeout = TimeSpan.FromSeconds(40) };

        var answer = await SendOnceListeningAsync(client, starting);
        await using var host = await starting;

        await ContractAnswer.NoToken.AssertMatchesAsync(answer);
    }

    /// <summary>Sends a token-less logout as soon as the port accepts connections, which is before the worker is ready.</summary>
    private static async Task<HttpResponseMessage> SendOnceListeningAsync(HttpClient client, Task<FunctionsHost> starting)
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            try
            {
                return await client.PostAsync("api/logout", null);
            }
            catch (HttpRequestException) when (!starting.IsCompleted)
            {
                await Task.Delay(25);
            }
        }

        throw new TimeoutException("The emulator never listened.");
    }
}
