namespace LogoutFunction.Tests.RefreshTokens;

/// <summary>The revocation marker of a global logout, against a real Azurite table: it moves forward only.</summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class RevocationMarkerStoreTests(AzuriteServer azurite)
{
    private static readonly string PublicKey = TestKey.Rsa().PublicPem;

    private AppHost ServicesFor(string markers, TimeProvider clock, string? connection = null)
    {
        var settings = AppHost.Settings(PublicKey, connection ?? azurite.ConnectionString, "RefreshTokens");
        settings["RevocationTable"] = markers;
        return new AppHost(settings, services => services.AddSingleton(clock));
    }

    [Fact]
    public async Task Writes_the_marker_at_now_where_there_was_none_keyed_by_the_user_ids_hash()
    {
        var markers = await azurite.CreateTableAsync();
        var clock = new ManualClock();
        using var services = ServicesFor(markers.Name, clock);

        Assert.Equal(MarkerOutcome.Moved, await services.Get<RevocationMarkerStore>().MoveToNowAsync("alice", CancellationToken.None));

        var entity = Assert.Single(markers.Query<TableEntity>());
        Assert.Equal("2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90", entity.PartitionKey);
        Assert.Equal("sessions", entity.RowKey);
        // Up to the next whole millisecond, never earlier than the clock.
        var validSince = entity.GetDateTimeOffset("ValidSince")!.Value;
        Assert.InRange(validSince - clock.GetUtcNow(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, validSince.Ticks % TimeSpan.TicksPerMillisecond);
    }

    [Fact]
    public async Task Moves_a_marker_forward_and_never_back()
    {
        var markers = await azurite.CreateTableAsync();
        var clock = new ManualClock();
        using var services = ServicesFor(markers.Name, clock);
        var store = services.Get<RevocationMarkerStore>();
        await store.MoveToNowAsync("alice", CancellationToken.None);
        var first = await markers.ValidSinceAsync("alice");

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(MarkerOutcome.Moved, await store.MoveToNowAsync("alice", CancellationToken.None));
        var second = await markers.ValidSinceAsync("alice");

        clock.Advance(TimeSpan.FromMinutes(-30));
        Assert.Equal(MarkerOutcome.AlreadyLater, await store.MoveToNowAsync("alice", CancellationToken.None));

        Assert.Equal(first + TimeSpan.FromMinutes(5), second);
        Assert.Equal(second, await markers.ValidSinceAsync("alice"));
    }

    [Fact]
    public async Task Writers_racing_with_different_clocks_leave_the_latest_time()
    {
        var markers = await azurite.CreateTableAsync();
        var start = DateTimeOffset.UtcNow;
        var clocks = Enumerable.Range(0, 8).Select(i => new ManualClock()).ToList();
        for (var i = 0; i < clocks.Count; i++)
        {
            clocks[i].Advance(TimeSpan.FromSeconds(i * 7 % 8));
        }

        var apps = clocks.Select(clock => ServicesFor(markers.Name, clock)).ToList();
        try
        {
            var outcomes = await Task.WhenAll(apps.Select(app => app.Get<RevocationMarkerStore>().MoveToNowAsync("bob", CancellationToken.None)));

            Assert.DoesNotContain(MarkerOutcome.StoreUnavailable, outcomes);
            var latest = clocks.Max(clock => clock.GetUtcNow());
            Assert.InRange(await markers.ValidSinceAsync("bob") ?? start, latest, latest.AddMilliseconds(1));
        }
        finally
        {
            apps.ForEach(app => app.Dispose());
        }
    }

    [Fact]
    public async Task A_marker_without_a_readable_time_is_overwritten()
    {
        var markers = await azurite.CreateTableAsync();
        await markers.AddEntityAsync(new TableEntity(RevocationMarker.PartitionKeyOf("carol"), "sessions") { ["ValidSince"] = "yesterday" });
        var clock = new ManualClock();
        using var services = ServicesFor(markers.Name, clock);

        Assert.Equal(MarkerOutcome.Moved, await services.Get<RevocationMarkerStore>().MoveToNowAsync("carol", CancellationToken.None));

        Assert.InRange((await markers.ValidSinceAsync("carol"))!.Value - clock.GetUtcNow(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task A_missing_table_is_unavailable_and_logged_as_an_error()
    {
        using var services = ServicesFor("NoSuchMarkers", TimeProvider.System);

        Assert.Equal(MarkerOutcome.StoreUnavailable, await services.Get<RevocationMarkerStore>().MoveToNowAsync("alice", CancellationToken.None));

        var error = Assert.Single(services.Logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal("Revocation-marker table NoSuchMarkers does not exist: global logouts fail until it is created", error.Message);
    }

    [Theory]
    [InlineData(503, "ServerBusy")]
    [InlineData(500, "InternalError")]
    public async Task A_busy_store_is_unavailable(int status, string errorCode)
    {
        using var stub = new StubStorageServer(status, errorCode);
        using var services = ServicesFor("Markers", TimeProvider.System, stub.ConnectionString);

        Assert.Equal(MarkerOutcome.StoreUnavailable, await services.Get<RevocationMarkerStore>().MoveToNowAsync("alice", CancellationToken.None));
    }

    [Fact]
    public async Task A_missing_role_is_not_reported_as_unavailable()
    {
        using var stub = new StubStorageServer(403, "AuthorizationPermissionMismatch");
        using var services = ServicesFor("Markers", TimeProvider.System, stub.ConnectionString);

        var error = await Assert.ThrowsAsync<Azure.RequestFailedException>(
            () => services.Get<RevocationMarkerStore>().MoveToNowAsync("alice", CancellationToken.None));

        Assert.Equal(403, error.Status);
    }
}
