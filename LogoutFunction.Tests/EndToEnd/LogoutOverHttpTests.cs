using System.Net.Http.Headers;

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

        using var message = new HttpRequestMessage(HttpMethod.Post, "api/logout" + request.Query);
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

    /// <summary>An answer of a second worker, read whole before that worker stops, and what it printed.</summary>
    private sealed record WorkerAnswer(HttpStatusCode Status, string Body, IReadOnlyDictionary<string, string> Headers, string Output)
    {
        public void AssertIs(ContractAnswer expected) => expected.AssertMatches(Status, Body, Headers.GetValueOrDefault);
    }

    /// <summary>One logout with a refresh token, served by a second worker of the app with one setting changed.</summary>
    private async Task<WorkerAnswer> LogoutOnWorkerWithAsync(string setting, string value, string? accessToken = null, string refreshToken = "r")
    {
        var settings = new Dictionary<string, string?>(app.Settings) { [setting] = value };
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var host = await app.StartHostAsync(settings, output.Enqueue);
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/logout")
        {
            Content = new StringContent($$"""{"refresh_token":"{{refreshToken}}"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken ?? TestTokens.Create(app.SigningKey, user: "erin"));

        using var response = await client.SendAsync(request);
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new WorkerAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(), headers, string.Join('\n', output));
    }

    [Fact]
    public async Task Logging_out_twice_with_an_expired_token_succeeds_twice()
    {
        var (refreshToken, entity) = await app.SeedAsync("alice");
        var body = $$"""{"refresh_token":"{{refreshToken}}"}""";
        var expired = "Bearer " + TestTokens.Expired(app.SigningKey, TimeSpan.FromHours(2), user: "alice");

        using var first = await PostJsonAsync(body, expired);
        using var second = await PostJsonAsync(body, expired);

        await ContractAnswer.LoggedOut.AssertMatchesAsync(first);
        await ContractAnswer.LoggedOut.AssertMatchesAsync(second);
        Assert.False(await app.ExistsAsync(entity));
    }

    [SkippableFact]
    public async Task With_the_grace_set_to_zero_an_expired_token_revokes_nothing()
    {
        Skip.IfNot(LogoutApp.IsEmulated, "needs a second worker with the grace off; runs under the emulator only");
        var (refreshToken, entity) = await app.SeedAsync("erin");

        var answer = await LogoutOnWorkerWithAsync(
            "Jwt__ExpiredTokenGraceDays", "0", TestTokens.Expired(app.SigningKey, TimeSpan.FromHours(2), user: "erin"), refreshToken);

        answer.AssertIs(ContractAnswer.InvalidToken("The token expired"));
        Assert.True(await app.ExistsAsync(entity));
    }

    [SkippableFact]
    public async Task The_worker_logs_a_logout_with_an_expired_token_as_such()
    {
        Skip.IfNot(LogoutApp.IsEmulated, "reads the worker's output, which only the emulated host captures");
        var (refreshToken, entity) = await app.SeedAsync("grace");

        using var answer = await PostJsonAsync($$"""{"refresh_token":"{{refreshToken}}"}""", "Bearer " + TestTokens.Expired(app.SigningKey, TimeSpan.FromDays(29), user: "grace"));

        await ContractAnswer.LoggedOut.AssertMatchesAsync(answer);
        Assert.False(await app.ExistsAsync(entity));
        var hash = RefreshTokenKey.For(refreshToken, "grace").CorrelationId;
        Assert.Contains($"Logout Revoked (expired token) for user grace, refresh token {hash}, in ", app.Output, StringComparison.Ordinal);
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
