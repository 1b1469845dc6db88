using Azure.Data.Tables;
using DevStorage;
using LogoutFunction.RefreshTokens;

namespace DevTokens.Tests;

/// <summary>
/// <c>DevTokens redeem</c>, the issuer's side of a global logout as a reference: against a real
/// Azurite, a seeded token is accepted until its user's revocation marker passes its creation.
/// </summary>
public sealed class RedeemCommandTests : IAsyncLifetime
{
    private AzuriteProcess _azurite = null!;

    private Dictionary<string, string> Environment => new() { [RefreshTokenStorageOptions.ConnectionName] = _azurite.ConnectionString };

    public async Task InitializeAsync() =>
        _azurite = await AzuriteProcess.StartAsync(RepositoryRoot.Above(AppContext.BaseDirectory)!);

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    [Fact]
    public async Task Accepts_a_token_until_a_global_logout_after_its_creation_then_refuses_it()
    {
        var created = await DevTokensCommand.RunAsync(Environment, "create-table");
        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Equal("Created table RefreshTokens.\nCreated table RefreshTokenRevocations.\n", created.Output.ReplaceLineEndings("\n"));
        var seeded = await DevTokensCommand.RunAsync(Environment, "seed", "--user", "alice");
        var refreshToken = seeded.Output.Trim();

        var before = await DevTokensCommand.RunAsync(Environment, "redeem", "--user", "alice", "--refresh-token", refreshToken);
        await new TableClient(_azurite.ConnectionString, RefreshTokenStorageOptions.DefaultRevocationTableName).AddEntityAsync(
            new TableEntity(RevocationMarker.PartitionKeyOf("alice"), RevocationMarker.RowKey) { [RevocationMarker.ValidSinceProperty] = DateTimeOffset.UtcNow.AddSeconds(1) });
        var after = await DevTokensCommand.RunAsync(Environment, "redeem", "--user", "alice", "--refresh-token", refreshToken);
        var otherUser = await DevTokensCommand.RunAsync(Environment, "redeem", "--user", "bob", "--refresh-token", refreshToken);

        Assert.Equal((0, "accepted"), (before.ExitCode, before.Output.Trim()));
        Assert.Equal((3, "refused: created before the user's global logout"), (after.ExitCode, after.Output.Trim()));
        Assert.Equal((3, "refused: unknown or revoked"), (otherUser.ExitCode, otherUser.Output.Trim()));
        Assert.DoesNotContain(_azurite.ConnectionString, before.Output + before.Error + after.Output + after.Error, StringComparison.Ordinal);
    }
}
