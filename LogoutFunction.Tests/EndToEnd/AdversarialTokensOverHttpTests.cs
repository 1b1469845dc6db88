namespace LogoutFunction.Tests.EndToEnd;

/// <summary>
/// The adversarial tokens over real HTTP, through the worker process: what HTTP can carry of
/// them (header values keep no leading or trailing whitespace) gets the same refusal as in
/// process, and the victim's refresh token survives.
/// </summary>
[Collection(LogoutAppCollectionDefinition.Name)]
[Trait("Category", "EndToEnd")]
public sealed class AdversarialTokensOverHttpTests(LogoutApp app)
{
    [SkippableTheory]
    [MemberData(nameof(AdversarialTokens.Names), MemberType = typeof(AdversarialTokens))]
    public async Task Is_refused_and_the_victims_refresh_token_survives(string name)
    {
        Skip.IfNot(LogoutApp.IsEmulated, "needs a worker configured for the adversarial tokens; runs under the emulator only");
        var attack = AdversarialTokens.Named(name);
        Skip.IfNot(attack.OverHttp, "HTTP cannot carry this header unchanged; the endpoint tests cover it");
        using var client = new HttpClient { BaseAddress = await app.AdversarialAppAsync() };
        var (refreshToken, victimToken) = await app.SeedAsync(AdversarialSetup.Victim);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/logout")
        {
            Content = new StringContent($$"""{"refresh_token":"{{refreshToken}}"}""", Encoding.UTF8, "application/json"),
        };
        Assert.True(request.Headers.TryAddWithoutValidation("Authorization", attack.Authorization(app.Adversarial)));

        using var response = await client.SendAsync(request);

        await ContractAnswer.InvalidToken(attack.Reason).AssertMatchesAsync(response);
        Assert.True(await app.ExistsAsync(victimToken));
    }
}
