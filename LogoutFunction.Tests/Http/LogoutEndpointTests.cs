using Azure.Core;
using Azure.Core.Pipeline;
using LogoutFunction.Http;

namespace LogoutFunction.Tests.Http;

/// <summary>
/// Every row of the contract table (docs/contract.md), through the function class the worker
/// invokes, over the app's own registrations and a real Azurite table.
/// </summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class LogoutEndpointTests(AzuriteServer azurite) : IAsyncLifetime, IDisposable
{
    private static readonly TestKey Key = TestKey.Rsa();
    private static readonly (string, string) Json = ("Content-Type", "application/json");

    private TableClient _table = null!;
    private AppHost _services = null!;

    public async Task InitializeAsync()
    {
        _table = await azurite.CreateTableAsync();
        _services = new AppHost(AppHost.Settings(Key.PublicPem, azurite.ConnectionString, _table.Name));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _services.Dispose();

    private static Task<EndpointCall> SendAsync(AppHost services, byte[] body, params (string, string)[] headers) =>
        EndpointCall.SendAsync(services, body, headers);

    /// <summary>
    /// Hands the endpoint what the Functions host hands the worker: the headers as sent (a
    /// Content-Length with a body) and the body, except that a chunked body never arrives
    /// (GrpcMessageConversionExtensions.ToRpcHttp forwards bodies with a Content-Length only).
    /// </summary>
    private async Task<EndpointCall> SendAsync(ContractRequest request, string? seededRefreshToken)
    {
        var headers = new List<(string, string)>();
        if (request.Authorization(Key) is { } authorization)
        {
            headers.Add(("Authorization", authorization));
        }

        var body = request.BodyWith(seededRefreshToken) ?? [];
        if (body.Length > 0 && request.ContentType is { } contentType)
        {
            headers.Add(("Content-Type", contentType));
        }

        headers.Add(request.Chunked ? ("Transfer-Encoding", "chunked") : ("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture)));
        return await EndpointCall.SendAsync(_services, request.Query, request.Chunked ? [] : body, [.. headers]);
    }

    private static (string, string) Bearer(string token) => ("Authorization", "Bearer " + token);

    /// <summary>The handler's one entry per request so far, in order, each matching its pattern.</summary>
    private void AssertLogEntries(params string[] patterns) => Assert.Collection(
        _services.Logs.Entries.Where(e => e.Category == "LogoutFunction.Logout.LogoutHandler").Select(e => e.Message),
        [.. patterns.Select(pattern => (Action<string>)(message => Assert.Matches(pattern, message)))]);

    [Theory]
    [MemberData(nameof(ContractCases.Names), MemberType = typeof(ContractCases))]
    public async Task Contract(string name)
    {
        var contractCase = ContractCases.Named(name);
        var refreshToken = contractCase.Request.RefreshTokenOf is null ? null : "refresh-" + Guid.NewGuid().ToString("N");
        var seeded = refreshToken is null ? null : await _table.SeedAsync(refreshToken, contractCase.Request.RefreshTokenOf!);

        var answer = await SendAsync(contractCase.Request, refreshToken);

        answer.AssertIs(contractCase.Expected);
        if (seeded is not null)
        {
            Assert.Equal(contractCase.SeededTokenRemains, await _table.ContainsAsync(seeded));
        }
    }

    // A lost body, as only the worker's side can be handed it.
    [Theory]
    [InlineData("100")]
    [InlineData("0")]
    [InlineData("ten")]
    [InlineData("10, 10")]
    public async Task A_content_length_that_does_not_match_the_body_is_411_and_revokes_nothing(string contentLength)
    {
        var seeded = await _table.SeedAsync("alices-refresh", "alice");
        var body = Encoding.UTF8.GetBytes("""{"refresh_token":"alices-refresh"}""");

        var answer = await SendAsync(_services, body, Json, Bearer(TestTokens.Create(Key, user: "alice")), ("Content-Length", contentLength));

        answer.AssertIs(ContractAnswer.LengthRequired);
        Assert.True(await _table.ContainsAsync(seeded));
    }

    [Fact]
    public async Task A_transfer_encoding_header_is_411_even_when_a_body_arrived()
    {
        var answer = await SendAsync(_services, """{"refresh_token":"r"}"""u8.ToArray(), Json, Bearer(TestTokens.Create(Key)), ("Transfer-Encoding", "chunked"));

        answer.AssertIs(ContractAnswer.LengthRequired);
    }

    [Fact]
    public async Task A_lost_body_is_logged_as_a_bad_request_with_its_reason()
    {
        await SendAsync(_services, [], Bearer(TestTokens.Create(Key, user: "gina")), ("Transfer-Encoding", "chunked"));

        var entry = Assert.Single(_services.Logs.Entries, e => e.Category == "LogoutFunction.Logout.LogoutHandler");
        Assert.Matches(@"^Logout BadRequest \(LengthRequired\) for user gina in \d+\.\d ms$", entry.Message);
    }

    [Fact]
    public async Task A_request_without_content_length_or_body_is_no_body()
    {
        (await SendAsync(_services, [], Bearer(TestTokens.Create(Key)))).AssertIs(ContractAnswer.LoggedOut);
    }

    [Fact]
    public async Task A_cancelled_invocation_answers_retry_and_logs_cancelled_not_a_failure()
    {
        using var silent = new SilentStorageServer();
        using var services = new AppHost(AppHost.Settings(Key.PublicPem, silent.ConnectionString, "RefreshTokens"));
        var endpoint = ActivatorUtilities.CreateInstance<LogoutEndpoint>(services.Provider);
        using var shuttingDown = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var request = new TestHttpRequest("""{"refresh_token":"r"}"""u8.ToArray(), Json, Bearer(TestTokens.Create(Key, user: "frank"))) { InvocationCancelled = shuttingDown.Token };

        var response = await endpoint.RunAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain(services.Logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains(services.Logs.Entries, e => e.Message.StartsWith("Logout Cancelled for user frank, refresh token ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Anything_unexpected_is_500_without_details_and_logged_with_its_exception()
    {
        using var services = new AppHost(
            AppHost.Settings(Key.PublicPem, azurite.ConnectionString, _table.Name),
            replace => replace.AddSingleton(provider => new RefreshTokenStore(
                new TableClient(
                    new Uri($"http://127.0.0.1:{azurite.Port}/devstoreaccount1/{_table.Name}?sv=2024-01-01&sig=x"),
                    new TableClientOptions { Transport = new BrokenTransport() }),
                provider.GetRequiredService<ILogger<RefreshTokenStore>>())));

        var answer = await SendAsync(services, """{"refresh_token":"r"}"""u8.ToArray(), Json, Bearer(TestTokens.Create(Key)));

        answer.AssertIs(ContractAnswer.InternalError);
        Assert.Contains(services.Logs.Entries, e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException);
        Assert.Contains(services.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.StartsWith("Logout Failed for user alice, refresh token ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_one_entry_with_outcome_user_and_token_hash_but_never_a_token()
    {
        await _table.SeedAsync("secret-refresh-value", "alice");
        var accessToken = TestTokens.Create(Key, user: "alice");

        await SendAsync(_services, """{"refresh_token":"secret-refresh-value"}"""u8.ToArray(), Json, Bearer(accessToken));

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
        await SendAsync(_services, []);
        await SendAsync(_services, [], Bearer(TestTokens.Create(Key, withExpiry: false)));
        await SendAsync(_services, "[]"u8.ToArray(), Json, Bearer(TestTokens.Create(Key, user: "dave")));

        AssertLogEntries(
            @"^Logout Unauthorized \(No bearer token\) in \d+\.\d ms$",
            @"^Logout Unauthorized \(The token has no expiry\) in \d+\.\d ms$",
            @"^Logout BadRequest \(BodyNotJsonObject\) for user dave in \d+\.\d ms$");
    }

    [Fact]
    public async Task A_logout_with_an_expired_token_is_logged_as_such_with_its_user_and_token_hash()
    {
        await _table.SeedAsync("expired-session-refresh", "alice");

        var answer = await SendAsync(_services, """{"refresh_token":"expired-session-refresh"}"""u8.ToArray(), Json, Bearer(TestTokens.Expired(Key, TimeSpan.FromHours(2), user: "alice")));

        answer.AssertIs(ContractAnswer.LoggedOut);
        var entry = Assert.Single(_services.Logs.Entries, e => e.Category == "LogoutFunction.Logout.LogoutHandler");
        var hash = RefreshTokenKey.For("expired-session-refresh", "alice").CorrelationId;
        Assert.Matches($@"^Logout Revoked \(expired token\) for user alice, refresh token {hash}, in \d+\.\d ms$", entry.Message);
        Assert.Equal("Revoked", entry.Properties["Outcome"]?.ToString());
        Assert.Equal("expired", entry.Properties["TokenState"]);
        Assert.Equal("alice", entry.Properties["UserId"]);
    }

    [Fact]
    public async Task An_expired_token_is_named_in_body_refusals_and_never_in_its_401()
    {
        var expired = Bearer(TestTokens.Expired(Key, TimeSpan.FromHours(2), user: "heidi"));

        await SendAsync(_services, "x"u8.ToArray(), ("Content-Type", "text/plain"), expired);
        await SendAsync(_services, "{}"u8.ToArray(), Json, expired);
        await SendAsync(_services, [], Bearer(TestTokens.Expired(Key, TimeSpan.FromDays(31), user: "heidi")));

        AssertLogEntries(
            @"^Logout BadRequest \(UnsupportedMediaType, expired token\) for user heidi in \d+\.\d ms$",
            @"^Logout Unauthorized \(The token expired\) in \d+\.\d ms$",
            @"^Logout Unauthorized \(The token expired\) in \d+\.\d ms$");
    }

    [Fact]
    public async Task With_the_grace_set_to_zero_an_expired_token_revokes_nothing()
    {
        var settings = AppHost.Settings(Key.PublicPem, azurite.ConnectionString, _table.Name);
        settings["Jwt:ExpiredTokenGraceDays"] = "0";
        using var services = new AppHost(settings);
        var seeded = await _table.SeedAsync("kept-refresh", "alice");

        var answer = await SendAsync(services, """{"refresh_token":"kept-refresh"}"""u8.ToArray(), Json, Bearer(TestTokens.Expired(Key, TimeSpan.FromHours(2), user: "alice")));

        answer.AssertIs(ContractAnswer.InvalidToken("The token expired"));
        Assert.True(await _table.ContainsAsync(seeded));
    }

    [Fact]
    public async Task Nothing_to_revoke_is_a_normal_outcome_with_no_warning_anywhere_the_Azure_SDKs_included()
    {
        var answer = await SendAsync(_services, """{"refresh_token":"never-issued"}"""u8.ToArray(), Json, Bearer(TestTokens.Create(Key)));

        answer.AssertIs(ContractAnswer.LoggedOut);
        Assert.Contains(_services.Logs.Entries, e => e.Message.StartsWith("Logout NothingToRevoke for user alice", StringComparison.Ordinal));
        Assert.DoesNotContain(_services.Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_user_id_with_line_breaks_cannot_forge_a_log_line()
    {
        var forger = "mallory\r\nLogout Revoked for user alice, refresh token 00000000, in 0.1 ms";

        await SendAsync(_services, [], Bearer(TestTokens.Create(Key, user: forger)));

        var entry = Assert.Single(_services.Logs.Entries, e => e.Category == "LogoutFunction.Logout.LogoutHandler");
        Assert.DoesNotContain('\r', entry.Message);
        Assert.DoesNotContain('\n', entry.Message);
        Assert.StartsWith("Logout NoRefreshToken for user mallory\\u000d\\u000aLogout Revoked for user alice", entry.Message, StringComparison.Ordinal);
    }

    /// <summary>A transport that fails in a way no store error explains.</summary>
    private sealed class BrokenTransport : HttpPipelineTransport
    {
        public override Request CreateRequest() => new HttpClientTransport().CreateRequest();

        public override void Process(HttpMessage message) => throw new InvalidOperationException("broken transport");

        public override ValueTask ProcessAsync(HttpMessage message) => throw new InvalidOperationException("broken transport");
    }
}
