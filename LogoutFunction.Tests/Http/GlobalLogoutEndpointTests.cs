namespace LogoutFunction.Tests.Http;

/// <summary>
/// <c>scope=global</c> with global logout on (<c>Logout__AllowGlobal</c>): the marker, then the
/// refresh token, through the function class the worker invokes, over a real Azurite table.
/// With it off, the contract table's own cases apply (<see cref="LogoutEndpointTests"/>).
/// </summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class GlobalLogoutEndpointTests(AzuriteServer azurite) : IAsyncLifetime, IDisposable
{
    private static readonly TestKey Key = TestKey.Rsa();
    private static readonly (string, string) Json = ("Content-Type", "application/json");

    private readonly ManualClock _clock = new();
    private TableClient _tokens = null!;
    private TableClient _markers = null!;
    private AppHost _services = null!;

    public async Task InitializeAsync()
    {
        _tokens = await azurite.CreateTableAsync();
        _markers = await azurite.CreateTableAsync();
        _services = ServicesWith(_markers.Name);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _services.Dispose();

    private AppHost ServicesWith(string markers)
    {
        var settings = AppHost.Settings(Key.PublicPem, azurite.ConnectionString, _tokens.Name);
        settings["RevocationTable"] = markers;
        settings["Logout:AllowGlobal"] = "true";
        return new AppHost(settings, services => services.AddSingleton<TimeProvider>(_clock));
    }

    private static Task<EndpointCall> LogOutEverywhereAsync(AppHost services, string user, string? refreshToken)
    {
        var body = refreshToken is null ? [] : Encoding.UTF8.GetBytes($$"""{"refresh_token":"{{refreshToken}}"}""");
        return EndpointCall.SendAsync(services, "?scope=global", body, Json, ("Authorization", "Bearer " + TestTokens.Create(Key, user: user)));
    }


    private CapturedLog HandlerEntry() =>
        Assert.Single(_services.Logs.Entries, e => e.Category == "LogoutFunction.Logout.LogoutHandler");

    [Fact]
    public async Task Moves_the_callers_marker_to_now_then_revokes_the_refresh_token()
    {
        var seeded = await _tokens.SeedAsync("alices-refresh", "alice");

        var answer = await LogOutEverywhereAsync(_services, "alice", "alices-refresh");

        answer.AssertIs(ContractAnswer.LoggedOut);
        Assert.False(await _tokens.ContainsAsync(seeded));
        Assert.InRange((await _markers.ValidSinceAsync("alice"))!.Value - _clock.GetUtcNow(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
        Assert.Null(await _markers.ValidSinceAsync("bob"));
        var hash = RefreshTokenKey.For("alices-refresh", "alice").CorrelationId;
        var entry = HandlerEntry();
        Assert.Matches($@"^Logout Revoked \(global\) for user alice, refresh token {hash}, in \d+\.\d ms$", entry.Message);
        Assert.Equal("global", entry.Properties["Scope"]);
    }

    [Fact]
    public async Task Without_a_refresh_token_moves_the_marker_and_succeeds()
    {
        var answer = await LogOutEverywhereAsync(_services, "dave", refreshToken: null);

        answer.AssertIs(ContractAnswer.LoggedOut);
        Assert.NotNull(await _markers.ValidSinceAsync("dave"));
        Assert.Matches(@"^Logout NoRefreshToken \(global\) for user dave in \d+\.\d ms$", HandlerEntry().Message);
    }

    [Fact]
    public async Task Never_moves_a_marker_back_when_this_instances_clock_is_behind()
    {
        var later = _clock.GetUtcNow().AddHours(1);
        await _markers.AddEntityAsync(new TableEntity(RevocationMarker.PartitionKeyOf("erin"), RevocationMarker.RowKey) { [RevocationMarker.ValidSinceProperty] = later });

        (await LogOutEverywhereAsync(_services, "erin", refreshToken: null)).AssertIs(ContractAnswer.LoggedOut);

        Assert.Equal(later, await _markers.ValidSinceAsync("erin"));
    }

    [Fact]
    public async Task A_body_refused_by_its_row_writes_no_marker()
    {
        var answer = await EndpointCall.SendAsync(_services, "?scope=global", "not json"u8.ToArray(), Json, ("Authorization", "Bearer " + TestTokens.Create(Key, user: "fay")));

        answer.AssertIs(ContractAnswer.NotJsonObject);
        Assert.Null(await _markers.ValidSinceAsync("fay"));
        Assert.Matches(@"^Logout BadRequest \(BodyNotJsonObject, global\) for user fay in \d+\.\d ms$", HandlerEntry().Message);
    }

    [Fact]
    public async Task A_missing_marker_table_is_row_8_and_the_refresh_token_stays_for_the_retry()
    {
        using var services = ServicesWith("NoSuchMarkers");
        var seeded = await _tokens.SeedAsync("gils-refresh", "gil");

        var answer = await LogOutEverywhereAsync(services, "gil", "gils-refresh");

        answer.AssertIs(ContractAnswer.Unavailable);
        Assert.True(await _tokens.ContainsAsync(seeded));
        Assert.Contains(services.Logs.Entries, e => e.Level == LogLevel.Error && e.Message == "Revocation-marker table NoSuchMarkers does not exist: global logouts fail until it is created");
    }

    [Fact]
    public async Task An_expired_token_within_the_grace_is_refused_and_writes_nothing()
    {
        var seeded = await _tokens.SeedAsync("hals-refresh", "hal");

        var answer = await EndpointCall.SendAsync(
            _services, "?scope=global", """{"refresh_token":"hals-refresh"}"""u8.ToArray(), Json, ("Authorization", "Bearer " + TestTokens.Expired(Key, TimeSpan.FromHours(2), user: "hal")));

        answer.AssertIs(ContractAnswer.InvalidToken("The token expired"));
        Assert.True(await _tokens.ContainsAsync(seeded));
        Assert.Null(await _markers.ValidSinceAsync("hal"));
    }
}
