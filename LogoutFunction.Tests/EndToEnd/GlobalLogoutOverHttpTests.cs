extern alias DevTool;

namespace LogoutFunction.Tests.EndToEnd;

/// <summary>
/// Log out everywhere over real HTTP, through a worker with <c>Logout__AllowGlobal=true</c>, and
/// the issuer's side as DevTokens implements it for reference (<see cref="LogoutApp.Issuer"/>).
/// The answers with global logout off are rows of the contract table (<see cref="LogoutOverHttpTests"/>).
/// </summary>
[Collection(LogoutAppCollectionDefinition.Name)]
[Trait("Category", "EndToEnd")]
public sealed class GlobalLogoutOverHttpTests(LogoutApp app)
{
    private async Task<HttpResponseMessage> LogOutAsync(Uri worker, string query, string user, string? refreshToken, string? accessToken = null)
    {
        using var client = new HttpClient { BaseAddress = worker, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/logout" + query);
        if (refreshToken is not null)
        {
            request.Content = new StringContent($$"""{"refresh_token":"{{refreshToken}}"}""", Encoding.UTF8, "application/json");
        }

        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + (accessToken ?? TestTokens.Create(app.SigningKey, user: user)));
        return await client.SendAsync(request);
    }


    private Task<DevTool::DevTokens.Redemption> RedeemAsync(string refreshToken, string userId) =>
        app.Issuer.CheckAsync(refreshToken, userId, DateTimeOffset.UtcNow, CancellationToken.None);

    private static string NewUser(string name) => $"{name}-{Guid.NewGuid():N}";

    [SkippableFact]
    public async Task Ending_every_session_revokes_the_one_sent_and_the_issuer_refuses_the_others()
    {
        Skip.IfNot(LogoutApp.IsEmulated, "needs a worker with global logout on; runs under the emulator only");
        var alice = NewUser("alice");
        var bob = NewUser("bob");
        var now = DateTimeOffset.UtcNow;
        var (oldest, _) = await app.SeedAsync(alice, now.AddDays(-3));
        var (older, _) = await app.SeedAsync(alice, now.AddDays(-2));
        var (sent, sentEntity) = await app.SeedAsync(alice, now.AddDays(-1));
        var (bobs, _) = await app.SeedAsync(bob, now.AddDays(-2));
        var before = DateTimeOffset.UtcNow;

        using var answer = await LogOutAsync(await app.GlobalLogoutAppAsync(), "?scope=global", alice, sent);

        await ContractAnswer.LoggedOut.AssertMatchesAsync(answer);
        Assert.False(await app.ExistsAsync(sentEntity));
        var marker = await app.Markers.ValidSinceAsync(alice);
        Assert.NotNull(marker);
        var validSince = marker.Value;
        Assert.InRange(validSince, before, DateTimeOffset.UtcNow.AddMilliseconds(1));
        Assert.Equal("refused: unknown or revoked", (await RedeemAsync(sent, alice)).ToString());
        Assert.Equal("refused: created before the user's global logout", (await RedeemAsync(oldest, alice)).ToString());
        Assert.Equal("refused: created before the user's global logout", (await RedeemAsync(older, alice)).ToString());
        Assert.True((await RedeemAsync(bobs, bob)).Accepted);

        // A login after the logout, and one at the marker's very time (not after it: refused).
        var (afterwards, _) = await app.SeedAsync(alice, validSince.AddMilliseconds(1));
        var (atTheMarker, _) = await app.SeedAsync(alice, validSince);
        Assert.True((await RedeemAsync(afterwards, alice)).Accepted);
        Assert.False((await RedeemAsync(atTheMarker, alice)).Accepted);
        var hash = RefreshTokenKey.For(sent, alice).CorrelationId;
        Assert.Contains($"Logout Revoked (global) for user {alice}, refresh token {hash}, in ", app.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_second_global_logout_never_moves_the_marker_back()
    {
        Skip.IfNot(LogoutApp.IsEmulated, "needs a worker with global logout on; runs under the emulator only");
        var carol = NewUser("carol");
        var global = await app.GlobalLogoutAppAsync();

        using var first = await LogOutAsync(global, "?scope=global", carol, refreshToken: null);
        var afterFirst = await app.Markers.ValidSinceAsync(carol);
        using var second = await LogOutAsync(global, "?scope=global", carol, refreshToken: null);

        await ContractAnswer.LoggedOut.AssertMatchesAsync(first);
        await ContractAnswer.LoggedOut.AssertMatchesAsync(second);
        Assert.True(await app.Markers.ValidSinceAsync(carol) >= afterFirst);
    }

    [SkippableFact]
    public async Task A_marker_from_the_future_stays_where_it_is()
    {
        Skip.IfNot(LogoutApp.IsEmulated, "needs a worker with global logout on; runs under the emulator only");
        var dave = NewUser("dave");
        var future = DateTimeOffset.UtcNow.AddDays(1);
        await app.Markers.AddEntityAsync(new TableEntity(RevocationMarker.PartitionKeyOf(dave), RevocationMarker.RowKey) { [RevocationMarker.ValidSinceProperty] = future });
        var (refreshToken, entity) = await app.SeedAsync(dave);

        using var answer = await LogOutAsync(await app.GlobalLogoutAppAsync(), "?scope=global", dave, refreshToken);

        await ContractAnswer.LoggedOut.AssertMatchesAsync(answer);
        Assert.False(await app.ExistsAsync(entity));
        Assert.Equal(future, await app.Markers.ValidSinceAsync(dave));
    }

    [Fact]
    public async Task With_global_logout_off_scope_global_is_400_and_writes_no_marker()
    {
        var erin = NewUser("erin");
        var (refreshToken, entity) = await app.SeedAsync(erin);

        using var answer = await LogOutAsync(app.Client.BaseAddress!, "?scope=global", erin, refreshToken);

        await ContractAnswer.GlobalNotEnabled.AssertMatchesAsync(answer);
        Assert.True(await app.ExistsAsync(entity));
        Assert.Null(await app.Markers.ValidSinceAsync(erin));
    }

    [SkippableTheory]
    [InlineData("?scope=others", false)]
    [InlineData("?scope=", false)]
    [InlineData("?scope=global&scope=global", false)]
    [InlineData("?scope=global", true)]
    public async Task A_refused_global_logout_writes_nothing_even_with_global_logout_on(string query, bool expiredToken)
    {
        Skip.IfNot(LogoutApp.IsEmulated, "needs a worker with global logout on; runs under the emulator only");
        var fay = NewUser("fay");
        var (refreshToken, entity) = await app.SeedAsync(fay);
        var accessToken = expiredToken ? TestTokens.Expired(app.SigningKey, TimeSpan.FromHours(2), user: fay) : null;

        using var answer = await LogOutAsync(await app.GlobalLogoutAppAsync(), query, fay, refreshToken, accessToken);

        // Any scope but local or global is 400; an expired token may not log out everywhere.
        await (expiredToken ? ContractAnswer.InvalidToken("The token expired") : ContractAnswer.ScopeInvalid).AssertMatchesAsync(answer);
        Assert.True(await app.ExistsAsync(entity));
        Assert.Null(await app.Markers.ValidSinceAsync(fay));
    }

    [SkippableFact]
    public async Task Without_the_marker_table_a_global_logout_is_row_8_and_revokes_nothing()
    {
        Skip.IfNot(LogoutApp.IsEmulated, "needs a worker without its marker table; runs under the emulator only");
        var hal = NewUser("hal");
        var (refreshToken, entity) = await app.SeedAsync(hal);
        var settings = new Dictionary<string, string?>(app.Settings) { ["Logout__AllowGlobal"] = "true", ["RevocationTable"] = "NoSuchMarkers" };
        await using var host = await app.StartHostAsync(settings, _ => { });

        using var answer = await LogOutAsync(host.BaseAddress, "?scope=global", hal, refreshToken);

        await ContractAnswer.Unavailable.AssertMatchesAsync(answer);
        Assert.True(await app.ExistsAsync(entity));
    }
}
