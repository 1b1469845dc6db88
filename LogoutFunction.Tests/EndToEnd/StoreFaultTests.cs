namespace LogoutFunction.Tests.EndToEnd;

/// <summary>
/// Store faults injected between the worker and Azurite by a <see cref="FaultProxy"/>: each
/// logout gets the answer rows 8 and 9 give it within the 5 s revocation budget, a 200 only
/// when the refresh token is really gone, the token intact whenever the delete never reached
/// the store, and the next logout after the store recovers revokes, on the same worker.
/// </summary>
[Collection(LogoutAppCollectionDefinition.Name)]
[Trait("Category", "EndToEnd")]
public sealed class StoreFaultTests(LogoutApp app)
{
    /// <summary>The revocation budget (docs/contract.md, row 8) plus the way through the emulated host and back.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5) + TimeSpan.FromSeconds(1.5);

    /// <summary>Each fault, the answer it must get, and whether the refresh token survives (null: either, since the store may have done it).</summary>
    private static readonly Dictionary<string, (StoreFault Fault, ContractAnswer Answer, bool? TokenRemains)> Faults = new()
    {
        ["connections refused"] = (StoreFault.Refuse, ContractAnswer.Unavailable, true),
        ["requests swallowed (blackhole)"] = (StoreFault.Blackhole, ContractAnswer.Unavailable, true),
        ["every answer 1 s late"] = (StoreFault.Delay(TimeSpan.FromSeconds(1)), ContractAnswer.LoggedOut, false),
        ["408 OperationTimedOut"] = (StoreFault.Status(408, "OperationTimedOut"), ContractAnswer.Unavailable, true),
        ["429 TooManyRequests"] = (StoreFault.Status(429, "TooManyRequests"), ContractAnswer.Unavailable, true),
        ["500 InternalError"] = (StoreFault.Status(500, "InternalError"), ContractAnswer.Unavailable, true),
        ["503 ServerBusy"] = (StoreFault.Status(503, "ServerBusy"), ContractAnswer.Unavailable, true),
        ["403 AuthorizationPermissionMismatch"] = (StoreFault.Status(403, "AuthorizationPermissionMismatch"), ContractAnswer.InternalError, true),
        ["a gateway's 404 page"] = (StoreFault.GatewayPage(404), ContractAnswer.InternalError, true),
        ["a gateway's 502 page"] = (StoreFault.GatewayPage(502), ContractAnswer.Unavailable, true),
        ["every answer lost after the delete"] = (StoreFault.ResetBeforeAnswer, ContractAnswer.Unavailable, false),
        ["every answer cut off mid-way"] = (StoreFault.ResetMidAnswer, ContractAnswer.Unavailable, false),
        ["one answer lost after the delete"] = (StoreFault.Once(StoreFault.ResetBeforeAnswer), ContractAnswer.LoggedOut, false),
        ["one 503, then the store answers"] = (StoreFault.Once(StoreFault.Status(503, "ServerBusy")), ContractAnswer.LoggedOut, false),
    };

    public static TheoryData<string> FaultNames => [.. Faults.Keys];

    private async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> LogoutAsync(Uri baseAddress, string user, string refreshToken)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/logout")
        {
            Content = new StringContent($$"""{"refresh_token":"{{refreshToken}}"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + TestTokens.Create(app.SigningKey, user: user));
        var started = Stopwatch.GetTimestamp();
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return (response, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>One logout while the proxy applies <paramref name="fault"/>; the store is itself again afterwards.</summary>
    private async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> LogoutDuringAsync(FaultProxy proxy, StoreFault fault, Uri baseAddress, string user, string refreshToken)
    {
        proxy.Fault = fault;
        try
        {
            return await LogoutAsync(baseAddress, user, refreshToken);
        }
        finally
        {
            proxy.Fault = StoreFault.None;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(FaultNames))]
    public async Task A_store_fault_gets_its_row_in_time_and_the_store_recovers_without_a_restart(string name)
    {
        Skip.IfNot(LogoutApp.IsEmulated, "puts a fault proxy between a second worker and its store; runs under the emulator only");
        var (fault, expected, tokenRemains) = Faults[name];
        var (proxy, baseAddress) = await app.FaultyStoreAppAsync();
        var (refreshToken, entity) = await app.SeedAsync("frank");

        var (response, elapsed) = await LogoutDuringAsync(proxy, fault, baseAddress, "frank", refreshToken);

        using (response)
        {
            await expected.AssertMatchesAsync(response);
        }

        Assert.True(elapsed < Bound, $"answered after {elapsed.TotalSeconds:0.0} s");
        Assert.Equal(tokenRemains, await app.ExistsAsync(entity));
        await AssertTheNextLogoutRevokesAsync(baseAddress);
    }

    [SkippableFact]
    public async Task One_request_in_three_failing_never_gives_a_false_200()
    {
        Skip.IfNot(LogoutApp.IsEmulated, "puts a fault proxy between a second worker and its store; runs under the emulator only");
        var (proxy, baseAddress) = await app.FaultyStoreAppAsync();
        proxy.Fault = StoreFault.OneIn(3, StoreFault.Status(503, "ServerBusy"));
        var answers = new List<int>();
        try
        {
            for (var i = 0; i < 30; i++)
            {
                var (refreshToken, entity) = await app.SeedAsync("grace");
                var (response, elapsed) = await LogoutAsync(baseAddress, "grace", refreshToken);
                using (response)
                {
                    answers.Add((int)response.StatusCode);
                    Assert.True(elapsed < Bound, $"answered after {elapsed.TotalSeconds:0.0} s");
                    Assert.Equal(response.StatusCode != System.Net.HttpStatusCode.OK, await app.ExistsAsync(entity));
                }
            }
        }
        finally
        {
            proxy.Fault = StoreFault.None;
        }

        // The client's retries absorb one failure in three: every logout revokes.
        Assert.All(answers, status => Assert.Equal(200, status));
    }

    [SkippableFact]
    public async Task A_table_deleted_while_running_is_503_and_an_error_until_it_is_back()
    {
        Skip.IfNot(LogoutApp.IsEmulated, "deletes the table the emulated app uses; runs under the emulator only");
        var (_, baseAddress) = await app.FaultyStoreAppAsync();
        var (refreshToken, entity) = await app.SeedAsync("heidi");

        await app.Table.DeleteAsync();
        HttpResponseMessage response;
        try
        {
            (response, _) = await LogoutAsync(baseAddress, "heidi", refreshToken);
        }
        finally
        {
            await app.Table.CreateIfNotExistsAsync();
        }

        using (response)
        {
            await ContractAnswer.Unavailable.AssertMatchesAsync(response);
        }

        Assert.Contains("Refresh-token table RefreshTokens does not exist", app.Output, StringComparison.Ordinal);
        Assert.False(await app.ExistsAsync(entity));
        await AssertTheNextLogoutRevokesAsync(baseAddress);
    }

    [SkippableFact]
    public async Task A_delete_whose_answer_was_lost_is_logged_as_revoked_or_absent_never_as_nothing_to_revoke()
    {
        Skip.IfNot(LogoutApp.IsEmulated, "puts a fault proxy between a second worker and its store; runs under the emulator only");
        var (proxy, baseAddress) = await app.FaultyStoreAppAsync();
        var (refreshToken, entity) = await app.SeedAsync("ivan");

        var (response, _) = await LogoutDuringAsync(proxy, StoreFault.Once(StoreFault.ResetBeforeAnswer), baseAddress, "ivan", refreshToken);

        using (response)
        {
            await ContractAnswer.LoggedOut.AssertMatchesAsync(response);
        }

        Assert.False(await app.ExistsAsync(entity));
        var hash = LogoutFunction.RefreshTokens.RefreshTokenKey.For(refreshToken, "ivan").CorrelationId;
        Assert.Contains($"Logout RevokedOrAbsent for user ivan, refresh token {hash}, in ", app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain($"Logout NothingToRevoke for user ivan", app.Output, StringComparison.Ordinal);
    }

    /// <summary>After a fault, the store back: the next logout revokes, and nothing logged so far holds what it must not.</summary>
    private async Task AssertTheNextLogoutRevokesAsync(Uri baseAddress)
    {
        LogHygiene.AssertClean(app.OutputLines);
        var (refreshToken, entity) = await app.SeedAsync("frank");
        var (response, _) = await LogoutAsync(baseAddress, "frank", refreshToken);
        using (response)
        {
            await ContractAnswer.LoggedOut.AssertMatchesAsync(response);
        }

        Assert.False(await app.ExistsAsync(entity));
    }
}
