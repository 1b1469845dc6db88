namespace LogoutFunction.Tests.RefreshTokens;

[Collection(AzuriteCollectionDefinition.Name)]
public sealed class RefreshTokenStoreTests(AzuriteServer azurite)
{
    private static readonly string PublicKey = TestKey.Rsa().PublicPem;

    private static AppHost ServicesFor(string connection, string table) =>
        new(AppHost.Settings(PublicKey, connection, table));

    [Fact]
    public async Task Revokes_the_callers_own_token_and_the_entity_is_gone()
    {
        var table = await azurite.CreateTableAsync();
        var entity = await table.SeedAsync("refresh-1", "alice");
        using var services = ServicesFor(azurite.ConnectionString, table.Name);

        var outcome = await services.Get<RefreshTokenStore>().RevokeAsync(RefreshTokenKey.For("refresh-1", "alice"), CancellationToken.None);

        Assert.Equal(RevocationOutcome.Revoked, outcome);
        Assert.False(await table.ContainsAsync(entity));
        Assert.DoesNotContain(services.Logs.Entries, e => e.Category.StartsWith("Azure", StringComparison.Ordinal) && e.Level < LogLevel.Warning);
    }

    [Fact]
    public async Task Leaves_someone_elses_token_in_place()
    {
        var table = await azurite.CreateTableAsync();
        var bobs = await table.SeedAsync("bobs-refresh", "bob");
        using var services = ServicesFor(azurite.ConnectionString, table.Name);

        var outcome = await services.Get<RefreshTokenStore>().RevokeAsync(RefreshTokenKey.For("bobs-refresh", "alice"), CancellationToken.None);

        Assert.Equal(RevocationOutcome.NothingToRevoke, outcome);
        Assert.True(await table.ContainsAsync(bobs));
    }

    [Fact]
    public async Task Reports_an_unknown_or_already_revoked_token_as_nothing_to_revoke()
    {
        var table = await azurite.CreateTableAsync();
        await table.SeedAsync("refresh-2", "alice");
        using var services = ServicesFor(azurite.ConnectionString, table.Name);
        var store = services.Get<RefreshTokenStore>();

        Assert.Equal(RevocationOutcome.NothingToRevoke, await store.RevokeAsync(RefreshTokenKey.For("never-issued", "alice"), CancellationToken.None));
        Assert.Equal(RevocationOutcome.Revoked, await store.RevokeAsync(RefreshTokenKey.For("refresh-2", "alice"), CancellationToken.None));
        Assert.Equal(RevocationOutcome.NothingToRevoke, await store.RevokeAsync(RefreshTokenKey.For("refresh-2", "alice"), CancellationToken.None));
    }

    public static TheoryData<string, bool, RevocationOutcome> RetriedDeletes => new()
    {
        // The first attempt deleted the entity, its answer was lost: the retry finds nothing.
        { "the answer to a delete that was done is lost", true, RevocationOutcome.RevokedOrAbsent },
        // Nothing to delete: still not provably nothing, since the lost attempt could have been the one.
        { "the answer to a delete of an unknown token is lost", false, RevocationOutcome.RevokedOrAbsent },
        // Throttled: the store did not carry the first attempt out, so the 404 is the truth.
        { "the first attempt is throttled (503 ServerBusy)", false, RevocationOutcome.NothingToRevoke },
        { "the first attempt is throttled, then the delete is done", true, RevocationOutcome.Revoked },
    };

    [Theory]
    [MemberData(nameof(RetriedDeletes))]
    public async Task A_retried_delete_that_finds_nothing_is_nothing_to_revoke_only_when_no_earlier_attempt_could_have_done_it(
        string name, bool seeded, RevocationOutcome expected)
    {
        var table = await azurite.CreateTableAsync();
        if (seeded)
        {
            await table.SeedAsync("retried-refresh", "alice");
        }

        await using var proxy = new FaultProxy(azurite.Port);
        using var services = ServicesFor(proxy.ConnectionString, table.Name);
        proxy.Fault = StoreFault.Once(name.Contains("throttled", StringComparison.Ordinal) ? StoreFault.Status(503, "ServerBusy") : StoreFault.ResetBeforeAnswer);

        var outcome = await services.Get<RefreshTokenStore>().RevokeAsync(RefreshTokenKey.For("retried-refresh", "alice"), CancellationToken.None);

        Assert.Equal(expected, outcome);
        Assert.Equal(2, proxy.Counts.Received);
        Assert.Empty(await table.QueryAsync<TableEntity>().ToListAsync());
    }

    [Fact]
    public async Task A_missing_table_is_unavailable_and_logged_as_an_error_never_nothing_to_revoke()
    {
        using var services = ServicesFor(azurite.ConnectionString, "NoSuchTable");

        Assert.Equal(RevocationOutcome.StoreUnavailable, await services.Get<RefreshTokenStore>().RevokeAsync(RefreshTokenKey.For("refresh", "alice"), CancellationToken.None));

        var error = Assert.Single(services.Logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal("Refresh-token table NoSuchTable does not exist: logouts fail until it is created", error.Message);
    }

    [Fact]
    public async Task An_unreachable_store_is_unavailable_within_a_few_seconds()
    {
        using var services = ServicesFor(AzuriteProcess.ConnectionStringFor(LoopbackPort.Free()), "RefreshTokens");
        var clock = Stopwatch.StartNew();

        Assert.Equal(RevocationOutcome.StoreUnavailable, await services.Get<RefreshTokenStore>().RevokeAsync(RefreshTokenKey.For("refresh", "alice"), CancellationToken.None));

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("AccountKey", services.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_accepts_but_never_answers_is_unavailable_after_the_revocation_timeout()
    {
        using var silent = new SilentStorageServer();
        using var services = ServicesFor(silent.ConnectionString, "RefreshTokens");
        var clock = Stopwatch.StartNew();

        Assert.Equal(RevocationOutcome.StoreUnavailable, await services.Get<RefreshTokenStore>().RevokeAsync(RefreshTokenKey.For("refresh", "alice"), CancellationToken.None));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8));
        Assert.Contains("Refresh-token store did not answer within 5 s", services.Logs.Entries.Select(e => e.Message));
    }

    [Theory]
    [InlineData(503, "ServerBusy")]
    [InlineData(500, "InternalError")]
    [InlineData(429, "TooManyRequests")]
    public async Task A_busy_or_throttling_store_is_unavailable(int status, string errorCode)
    {
        using var stub = new StubStorageServer(status, errorCode);
        using var services = ServicesFor(stub.ConnectionString, "RefreshTokens");

        Assert.Equal(RevocationOutcome.StoreUnavailable, await services.Get<RefreshTokenStore>().RevokeAsync(RefreshTokenKey.For("refresh", "alice"), CancellationToken.None));
    }

    [Theory]
    [InlineData(403, "AuthorizationPermissionMismatch")]
    [InlineData(400, "InvalidInput")]
    public async Task A_refusal_that_retrying_will_not_fix_is_not_reported_as_unavailable(int status, string errorCode)
    {
        using var stub = new StubStorageServer(status, errorCode);
        using var services = ServicesFor(stub.ConnectionString, "RefreshTokens");

        var error = await Assert.ThrowsAsync<Azure.RequestFailedException>(
            () => services.Get<RefreshTokenStore>().RevokeAsync(RefreshTokenKey.For("refresh", "alice"), CancellationToken.None));

        Assert.Equal(status, error.Status);
    }

    [Fact]
    public async Task Only_the_table_services_ResourceNotFound_means_nothing_to_revoke()
    {
        using var stub = new StubStorageServer(404, "ResourceNotFound");
        using var services = ServicesFor(stub.ConnectionString, "RefreshTokens");

        var outcome = await services.Get<RefreshTokenStore>().RevokeAsync(RefreshTokenKey.For("refresh", "alice"), CancellationToken.None);

        Assert.Equal(RevocationOutcome.NothingToRevoke, outcome);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("InvalidUri")]
    public async Task A_404_that_is_not_ResourceNotFound_is_unexpected_never_nothing_to_revoke(string? errorCode)
    {
        using var stub = new StubStorageServer(404, errorCode);
        using var services = ServicesFor(stub.ConnectionString, "RefreshTokens");

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => services.Get<RefreshTokenStore>().RevokeAsync(RefreshTokenKey.For("refresh", "alice"), CancellationToken.None));
        Assert.Contains(services.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("not the Table service's ResourceNotFound", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_caller_that_gives_up_is_cancelled_not_told_the_store_is_down()
    {
        using var silent = new SilentStorageServer();
        using var services = ServicesFor(silent.ConnectionString, "RefreshTokens");
        using var callerGone = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => services.Get<RefreshTokenStore>().RevokeAsync(RefreshTokenKey.For("refresh", "alice"), callerGone.Token));
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("AccountName=x;AccountKey=not base64!")]
    public void A_malformed_connection_string_fails_start_up_validation_without_echoing_it(string connection)
    {
        using var services = ServicesFor(connection, "RefreshTokens");

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => services.Get<Microsoft.Extensions.Options.IOptions<RefreshTokenStorageOptions>>().Value);

        Assert.Equal("RefreshTokenStorage is not a valid storage connection string.", Assert.Single(error.Failures));
    }
}
