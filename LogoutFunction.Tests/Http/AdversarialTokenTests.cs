namespace LogoutFunction.Tests.Http;

/// <summary>
/// Every attack of <see cref="AdversarialTokens"/> through the endpoint: 401 with the contract's
/// body and the reason named for it, and the victim's refresh token still in the table. Genuine
/// tokens of the same configuration do revoke, so a refusal here is never the setup's fault.
/// </summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class AdversarialTokenTests(AzuriteServer azurite) : IAsyncLifetime, IDisposable
{
    private static readonly AdversarialSetup Setup = new();
    private TableClient _table = null!;
    private AppHost _services = null!;

    public async Task InitializeAsync()
    {
        _table = await azurite.CreateTableAsync();
        var settings = Setup.Settings.ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => s.Value);
        settings["RefreshTokenStorage"] = azurite.ConnectionString;
        settings["RefreshTokenTable"] = _table.Name;
        _services = new AppHost(settings);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _services.Dispose();

    /// <summary>Seeds a refresh token of the victim, logs out with <paramref name="authorization"/>; returns the answer and whether the token survived.</summary>
    private async Task<(EndpointCall Answer, bool VictimTokenRemains)> LogoutAsVictimAsync(string authorization)
    {
        var refreshToken = "victim-" + Guid.NewGuid().ToString("N");
        var seeded = await _table.SeedAsync(refreshToken, AdversarialSetup.Victim);
        var body = Encoding.UTF8.GetBytes($$"""{"refresh_token":"{{refreshToken}}"}""");

        var answer = await EndpointCall.SendAsync(_services, body, ("Authorization", authorization), ("Content-Type", "application/json"));
        return (answer, await _table.ContainsAsync(seeded));
    }

    [Theory]
    [MemberData(nameof(AdversarialTokens.Names), MemberType = typeof(AdversarialTokens))]
    public async Task Is_refused_and_the_victims_refresh_token_survives(string name)
    {
        var attack = AdversarialTokens.Named(name);

        var authorization = attack.Authorization(Setup);

        var (answer, victimTokenRemains) = await LogoutAsVictimAsync(authorization);

        answer.AssertIs(ContractAnswer.InvalidToken(attack.Reason));
        Assert.True(victimTokenRemains);
        LogHygiene.AssertClean(_services.Logs.Entries.Select(e => e.Message + " " + e.Exception), authorization);
    }

    [Fact]
    public async Task No_header_makes_the_app_fetch_a_key()
    {
        using var keyServer = new StubStorageServer(404, errorCode: null);
        var setup = new AdversarialSetup { KeyUrlThatMustNotBeFetched = new Uri(keyServer.Url, "jwks") };
        foreach (var attack in AdversarialTokens.All.Where(a => a.Class is "embedded key" or "kid"))
        {
            var (answer, _) = await LogoutAsVictimAsync(attack.Authorization(setup));
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, answer.Status);
        }

        Assert.Equal(0, keyServer.Requests);
    }

    [Theory]
    [InlineData("a genuine RS256 token")]
    [InlineData("a genuine ES256 token")]
    [InlineData("a genuine ES256 token with its high-S twin signature")]
    [InlineData("a genuine RS256 token that also names a jku")]
    public async Task A_genuine_token_of_the_same_configuration_revokes(string kind)
    {
        var token = kind switch
        {
            "a genuine RS256 token" => Setup.Rs256(),
            "a genuine ES256 token" => Setup.Es256(),
            "a genuine ES256 token with its high-S twin signature" => HighSTwin(Setup.Es256()),
            _ => Setup.Rs256((h, _) => h["jku"] = "http://127.0.0.1:9/jwks"),
        };

        var (answer, victimTokenRemains) = await LogoutAsVictimAsync("Bearer " + token);

        answer.AssertIs(ContractAnswer.LoggedOut);
        Assert.False(victimTokenRemains);
    }

    /// <summary>
    /// The other valid ECDSA signature of the same token, (r, n - s). ECDSA signatures are
    /// malleable by design; docs/contract.md ("Token rules") says why the endpoint accepts both.
    /// </summary>
    private static string HighSTwin(string es256Token)
    {
        var parts = es256Token.Split('.');
        var signature = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[2]);
        var order = System.Numerics.BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);
        var s = new System.Numerics.BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
        var twin = (order - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        var twinSignature = new byte[64];
        signature.AsSpan(0, 32).CopyTo(twinSignature);
        twin.CopyTo(twinSignature.AsSpan(64 - twin.Length));
        return parts[0] + "." + parts[1] + "." + RawJws.Encode(twinSignature);
    }
}
