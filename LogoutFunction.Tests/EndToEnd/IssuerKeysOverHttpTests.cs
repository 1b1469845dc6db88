namespace LogoutFunction.Tests.EndToEnd;

/// <summary>
/// A worker whose keys come only from an identity provider (<c>Jwt__Authority</c>) of the
/// tests' own on loopback, through the emulated host: 503 while its keys were never fetched,
/// revocations once they are, a rotated key accepted by the first logout that uses it, and an
/// unknown-kid flood costing at most one fetch. No restart anywhere.
/// </summary>
[Collection(LogoutAppCollectionDefinition.Name)]
[Trait("Category", "EndToEnd")]
public sealed class IssuerKeysOverHttpTests(LogoutApp app)
{
    private static readonly TestKey First = TestKey.Rsa();
    private static readonly TestKey Rotated = TestKey.Rsa();

    [SkippableFact]
    public async Task Keys_come_from_the_issuer_and_rotate_without_a_restart()
    {
        Skip.IfNot(LogoutApp.IsEmulated, "starts a second worker configured with a loopback identity provider; runs under the emulator only");
        await using var issuer = IdentityProviderServer.Start((First, "k1"));
        issuer.Down = true;
        await using var host = await app.StartHostAsync(SettingsFor(issuer), _ => { });
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        // Never fetched: no verdict on the token, and the refresh token stays.
        var (refreshToken, entity) = await app.SeedAsync("alice");
        await ContractAnswer.Unavailable.AssertMatchesAsync(await LogoutAsync(client, Token(issuer, First, "k1"), refreshToken));
        Assert.True(await app.ExistsAsync(entity));

        // The issuer answers again: within the manager's back-off, the same logout revokes.
        issuer.Down = false;
        HttpResponseMessage? answer = null;
        for (var attempt = 0; attempt < 50 && answer?.StatusCode != HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(200);
            answer = await LogoutAsync(client, Token(issuer, First, "k1"), refreshToken);
        }

        await ContractAnswer.LoggedOut.AssertMatchesAsync(answer!);
        Assert.False(await app.ExistsAsync(entity));

        // A key published after the worker fetched: the first logout that names it revokes.
        issuer.Publish((First, "k1"), (Rotated, "k2"));
        var (rotatedRefreshToken, rotatedEntity) = await app.SeedAsync("alice");
        await ContractAnswer.LoggedOut.AssertMatchesAsync(await LogoutAsync(client, Token(issuer, Rotated, "k2"), rotatedRefreshToken));
        Assert.False(await app.ExistsAsync(rotatedEntity));

        // Made-up key ids: refused, and no more fetches within the rate limit.
        var fetches = issuer.JwksFetches;
        var (victimRefreshToken, victimEntity) = await app.SeedAsync("alice");
        for (var i = 0; i < 20; i++)
        {
            await ContractAnswer.InvalidToken("The signing key is unknown").AssertMatchesAsync(await LogoutAsync(client, Token(issuer, Rotated, $"made-up-{i}"), victimRefreshToken));
        }

        Assert.Equal(fetches, issuer.JwksFetches);
        Assert.True(await app.ExistsAsync(victimEntity));
    }

    public static TheoryData<string> MisbehavingIssuers => ["its discovery names another issuer", "it answers 302", "it serves 2 MiB"];

    [SkippableTheory]
    [MemberData(nameof(MisbehavingIssuers))]
    public async Task An_issuer_that_breaks_the_rules_for_key_documents_gives_no_keys_and_a_503(string misbehaviour)
    {
        Skip.IfNot(LogoutApp.IsEmulated, "starts a second worker configured with a loopback identity provider; runs under the emulator only");
        await using var issuer = IdentityProviderServer.Start((First, "k1"));
        // A fetch that fails is tried again by the logout itself, whose logs the host shows; a
        // document that arrives but names another issuer is judged once, at start-up, whose logs it
        // does not (Application Insights has them, from the worker): the logout's entry says 503.
        var expectedLog = misbehaviour switch
        {
            "its discovery names another issuer" => "Logout KeysUnavailable (",
            "it answers 302" => "(it answered 302, a redirect, which is not followed)",
            _ => "(its answer is larger than 1 MiB)",
        };
        var token = Token(issuer, First, "k1");
        switch (misbehaviour)
        {
            case "its discovery names another issuer":
                issuer.Issuer = "https://impostor.example.com/";
                break;
            case "it answers 302":
                issuer.Redirects = true;
                break;
            default:
                issuer.JwksPaddedTo = 2 * 1024 * 1024;
                break;
        }

        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var host = await app.StartHostAsync(SettingsFor(issuer), output.Enqueue);
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var (refreshToken, entity) = await app.SeedAsync("alice");

        await ContractAnswer.Unavailable.AssertMatchesAsync(await LogoutAsync(client, token, refreshToken));

        Assert.True(await app.ExistsAsync(entity));
        Assert.Equal(0, issuer.RedirectTargetFetches);
        Assert.Contains(output, line => line.Contains(expectedLog, StringComparison.Ordinal));
    }

    /// <summary>The app's settings with keys only from <paramref name="issuer"/>, for the API it names as audience.</summary>
    private Dictionary<string, string?> SettingsFor(IdentityProviderServer issuer) => new(app.Settings)
    {
        ["Jwt__PublicKeys"] = null,
        ["Jwt__Authority"] = issuer.Authority,
        ["Jwt__Audience"] = IdentityProviderServer.Audience,
    };

    private static string Token(IdentityProviderServer issuer, TestKey key, string kid) =>
        TestTokens.Create(key, kid: kid, issuer: issuer.Issuer, audience: IdentityProviderServer.Audience);

    private static async Task<HttpResponseMessage> LogoutAsync(HttpClient client, string token, string refreshToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/logout")
        {
            Content = new StringContent($$"""{"refresh_token":"{{refreshToken}}"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
