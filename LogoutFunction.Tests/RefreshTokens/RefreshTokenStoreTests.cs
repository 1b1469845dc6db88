using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using LogoutFunction.RefreshTokens;
using LogoutFunction.Tests.Support;
using Microsoft.Extensions.Logging;

namespace LogoutFunction.Tests.RefreshTokens;

[Collection(AzuriteCollectionDefinition.Name)]
public sealed class RefreshTokenStoreTests(AzuriteServer azurite)
{
    private static readonly string PublicKey = TestKey.Rsa().PublicPem;

    private static LogoutServices ServicesFor(string connection, string table) =>
        new(LogoutServices.Settings(PublicKey, connection, table));

    [Fact]
    public async Task Revokes_the_callers_own_token_and_the_entity_is_gone()
    {
        var table = await azurite.CreateTableAsync();
        var entity = await table.SeedAsync("refresh-1", "alice");
        using var services = ServicesFor(azurite.ConnectionString, table.Name);

        var outcome = await services.Get<RefreshTokenStore>().RevokeAsync(RefreshTokenKey.For("refresh-1", "alice"), CancellationToken.None);

        Assert.Equal(RevocationOutcome.Revoked, outcome);
        Assert.False(await table.ContainsAsync(entity));
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

    [Fact]
    public async Task A_missing_table_is_unavailable_and_logged_as_an_error_never_nothing_to_revoke()
    {
        using var services = ServicesFor(azurite.ConnectionString, "NoSuchTable");

        await Assert.ThrowsAsync<RefreshTokenStoreUnavailableException>(
            () => services.Get<RefreshTokenStore>().RevokeAsync(RefreshTokenKey.For("refresh", "alice"), CancellationToken.None));

        var error = Assert.Single(services.Logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal("Refresh-token table NoSuchTable does not exist: logouts fail until it is created", error.Message);
    }

    [Fact]
    public async Task An_unreachable_store_is_unavailable_within_a_few_seconds()
    {
        var closedPort = FreePort.Next();
        var connection = azurite.ConnectionString.Replace($":{azurite.Port}/", $":{closedPort}/", StringComparison.Ordinal);
        using var services = ServicesFor(connection, "RefreshTokens");
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<RefreshTokenStoreUnavailableException>(
            () => services.Get<RefreshTokenStore>().RevokeAsync(RefreshTokenKey.For("refresh", "alice"), CancellationToken.None));

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("AccountKey", services.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_accepts_but_never_answers_is_unavailable_after_the_revocation_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var connection = azurite.ConnectionString.Replace($":{azurite.Port}/", $":{port}/", StringComparison.Ordinal);
        using var services = ServicesFor(connection, "RefreshTokens");
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<RefreshTokenStoreUnavailableException>(
            () => services.Get<RefreshTokenStore>().RevokeAsync(RefreshTokenKey.For("refresh", "alice"), CancellationToken.None));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8));
    }
}
