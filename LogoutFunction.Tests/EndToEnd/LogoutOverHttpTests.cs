using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LogoutFunction.RefreshTokens;
using LogoutFunction.Tests.Contract;
using LogoutFunction.Tests.Support;

namespace LogoutFunction.Tests.EndToEnd;

/// <summary>The contract over real HTTP, through the worker process (or <c>LOGOUT_BASE_URL</c>).</summary>
[Collection(LogoutAppCollectionDefinition.Name)]
[Trait("Category", "EndToEnd")]
public sealed class LogoutOverHttpTests(LogoutApp app)
{
    private string BearerFor(string user = "alice") => "Bearer " + TestTokens.Create(app.SigningKey, user: user);

    private async Task<HttpResponseMessage> PostJsonAsync(string body, string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/logout") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await app.Client.SendAsync(request);
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
        Assert.EndsWith("\r\n\r\n" + ContractAnswer.LoggedOut.Body, output, StringComparison.Ordinal);
        Assert.False(await app.ExistsAsync(entity));
    }

    [Fact]
    public async Task Logging_out_twice_succeeds_twice()
    {
        var (refreshToken, entity) = await app.SeedAsync("alice");
        var body = $$"""{"refresh_token":"{{refreshToken}}"}""";

        using var first = await PostJsonAsync(body, BearerFor());
        using var second = await PostJsonAsync(body, BearerFor());

        await ContractAnswer.LoggedOut.AssertMatchesAsync(first);
        await ContractAnswer.LoggedOut.AssertMatchesAsync(second);
        Assert.False(await app.ExistsAsync(entity));
    }

    [Theory]
    [MemberData(nameof(ContractCases.Names), MemberType = typeof(ContractCases))]
    public async Task Contract(string name)
    {
        var contractCase = ContractCases.Named(name);
        var request = contractCase.Request;
        var seeded = request.RefreshTokenOf is { } owner ? await app.SeedAsync(owner) : default;

        using var message = new HttpRequestMessage(HttpMethod.Post, "api/logout");
        if (request.BodyWith(seeded.RefreshToken) is { } body)
        {
            message.Content = new ByteArrayContent(body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }

        message.Headers.TransferEncodingChunked = request.Chunked;
        if (request.Authorization(app.SigningKey) is { } authorization)
        {
            message.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await app.Client.SendAsync(message);

        await contractCase.Expected.AssertMatchesAsync(response);
        if (seeded.Entity is not null)
        {
            Assert.Equal(contractCase.SeededTokenRemains, await app.ExistsAsync(seeded.Entity));
        }
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

        Assert.Equal(ContractAnswer.Unavailable.Status, status);
        Assert.Equal(ContractAnswer.Unavailable.Body, body);
        Assert.Equal("5", retryAfter);
        Assert.Contains("Refresh-token table TableThatWasNeverCreated does not exist", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Row9_something_unexpected_is_500_without_details()
    {
        Skip.IfNot(LogoutApp.IsEmulated, "needs a second worker whose store refuses it; runs under the emulator only");
        using var store = new StubStorageServer(403, "AuthorizationPermissionMismatch");

        var (status, body, retryAfter, output) = await LogoutOnWorkerWithAsync("RefreshTokenStorage", store.ConnectionString);

        Assert.Equal(ContractAnswer.InternalError.Status, status);
        Assert.Equal(ContractAnswer.InternalError.Body, body);
        Assert.Null(retryAfter);
        Assert.Contains("Logout Failed for user erin", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_worker_logs_each_outcome_and_never_a_token()
    {
        Skip.IfNot(LogoutApp.IsEmulated, "reads the worker's output, which only the emulated host captures");
        var (refreshToken, _) = await app.SeedAsync("carol");
        var accessToken = TestTokens.Create(app.SigningKey, user: "carol");

        using var answer = await PostJsonAsync($$"""{"refresh_token":"{{refreshToken}}"}""", "Bearer " + accessToken);

        await ContractAnswer.LoggedOut.AssertMatchesAsync(answer);
        var hash = RefreshTokenKey.For(refreshToken, "carol").CorrelationId;
        Assert.Contains($"Logout Revoked for user carol, refresh token {hash}, in ", app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(refreshToken, app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(accessToken, app.Output, StringComparison.Ordinal);
    }
}
