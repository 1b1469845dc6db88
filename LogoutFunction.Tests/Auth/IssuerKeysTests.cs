using LogoutFunction.Tests.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LogoutFunction.Tests.Auth;

/// <summary>
/// Keys from the issuer (<c>Jwt__Authority</c>, <c>Jwt__JwksUri</c>) against an identity
/// provider of the tests' own on loopback, which counts every fetch.
/// </summary>
public sealed class IssuerKeysTests
{
    private static readonly TestKey First = TestKey.Rsa();
    private static readonly TestKey Second = TestKey.Rsa();
    private static readonly TestKey Configured = TestKey.Rsa();

    private static (BearerTokenValidator Validator, SigningKeys Keys) ValidatorFor(Action<JwtOptions> configure, ILogger<SigningKeys>? logger = null, TimeProvider? time = null)
    {
        var options = new JwtOptions { Audience = IdentityProviderServer.Audience };
        configure(options);
        Assert.Empty(new JwtOptionsValidator().Validate(null, options).Failures ?? []);
        var settings = Options.Create(options);
        var keys = new SigningKeys(settings, time ?? TimeProvider.System, logger ?? NullLogger<SigningKeys>.Instance);
        return (new BearerTokenValidator(settings, keys), keys);
    }

    private static ILogger<SigningKeys> LoggerFor(CapturedLogs logs) =>
        LoggerFactory.Create(logging => logging.AddProvider(logs)).CreateLogger<SigningKeys>();

    private static string TokenFrom(IdentityProviderServer issuer, TestKey key, string kid, string? iss = null) =>
        TestTokens.Create(key, kid: kid, issuer: iss ?? issuer.Issuer, audience: IdentityProviderServer.Audience);

    [Fact]
    public async Task A_key_published_after_start_up_is_accepted_by_the_first_token_that_names_it()
    {
        await using var issuer = IdentityProviderServer.Start((First, "k1"));
        var (validator, _) = ValidatorFor(o => o.Authority = issuer.Authority);
        Assert.Equal("alice", (await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).UserId);

        issuer.Publish((First, "k1"), (Second, "k2"));
        var rotated = await validator.ValidateAsync(TokenFrom(issuer, Second, "k2"));

        Assert.Equal("alice", rotated.UserId);
        Assert.Equal((2, 2), (issuer.DiscoveryFetches, issuer.JwksFetches));
    }

    [Fact]
    public async Task A_flood_of_unknown_key_ids_causes_one_fetch_per_interval()
    {
        await using var issuer = IdentityProviderServer.Start((First, "k1"));
        var (validator, _) = ValidatorFor(o => o.Authority = issuer.Authority);
        Assert.True((await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).IsValid);

        var flood = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => validator.ValidateAsync(TokenFrom(issuer, First, $"made-up-{i}"))));

        Assert.All(flood, result => Assert.Equal("The signing key is unknown", result.Reason));
        // The start-up fetch, and one for the whole flood (Jwt__UnknownKeyRefreshSeconds, 60 by default).
        Assert.Equal(2, issuer.JwksFetches);
    }

    [Fact]
    public async Task Keys_fetched_before_stay_in_use_while_the_issuer_is_down()
    {
        await using var issuer = IdentityProviderServer.Start((First, "k1"));
        var (validator, keys) = ValidatorFor(o => o.JwksUri = issuer.JwksUri);
        Assert.True((await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).IsValid);

        issuer.Down = true;
        await keys.RefreshAsync(CancellationToken.None);

        Assert.Equal(2, issuer.JwksFetches);
        Assert.Equal("alice", (await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).UserId);
        Assert.Equal("The signing key is unknown", (await validator.ValidateAsync(TokenFrom(issuer, Second, "k2"))).Reason);
    }

    [Fact]
    public async Task Never_fetched_and_down_is_no_verdict_until_the_issuer_answers()
    {
        await using var issuer = IdentityProviderServer.Start((First, "k1"));
        issuer.Down = true;
        var logs = new CapturedLogs();
        var (validator, _) = ValidatorFor(o => o.Authority = issuer.Authority, LoggerFor(logs));

        Assert.Equal(TokenStatus.KeysUnavailable, (await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).Status);
        // What no key can change is still refused as it always is.
        Assert.Equal("The token is malformed", (await validator.ValidateAsync("not.a.token")).Reason);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.StartsWith($"Signing keys could not be fetched from {issuer.Authority}/", StringComparison.Ordinal));

        issuer.Down = false;
        TokenVerdict result = default;
        for (var attempt = 0; attempt < 50 && !result.IsValid; attempt++)
        {
            // The manager backs off after a failed first fetch (1 s, then doubling).
            await Task.Delay(200);
            result = await validator.ValidateAsync(TokenFrom(issuer, First, "k1"));
        }

        Assert.Equal("alice", result.UserId);
    }

    [Fact]
    public async Task Never_fetched_and_down_answers_503_with_retry_after()
    {
        await using var issuer = IdentityProviderServer.Start((First, "k1"));
        issuer.Down = true;
        using var services = new AppHost(new Dictionary<string, string?>
        {
            ["Jwt:Authority"] = issuer.Authority,
            ["Jwt:Audience"] = IdentityProviderServer.Audience,
            // Never reached: the answer comes before the store.
            ["RefreshTokenStorage"] = DevStorage.AzuriteProcess.ConnectionStringFor(DevStorage.LoopbackPort.Free()),
        });

        var call = await EndpointCall.SendAsync(services, Encoding.UTF8.GetBytes("""{"refresh_token":"r"}"""), ("Authorization", "Bearer " + TokenFrom(issuer, First, "k1")), ("Content-Type", "application/json"));

        call.AssertIs(ContractAnswer.Unavailable);
        Assert.Contains(services.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.StartsWith("Logout KeysUnavailable (", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_an_authority_the_issuer_must_be_the_discovery_documents()
    {
        await using var issuer = IdentityProviderServer.Start((First, "k1"));
        var (validator, _) = ValidatorFor(o => o.Authority = issuer.Authority);

        Assert.True((await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).IsValid);
        Assert.Equal("The issuer is not accepted", (await validator.ValidateAsync(TokenFrom(issuer, First, "k1", iss: "https://other.example.com/"))).Reason);
        Assert.Equal("The issuer is not accepted", (await validator.ValidateAsync(TokenFrom(issuer, First, "k1", iss: issuer.Issuer + "/"))).Reason);
    }

    [Fact]
    public async Task An_explicit_issuer_setting_wins_over_the_discovery_document()
    {
        await using var issuer = IdentityProviderServer.Start((First, "k1"));
        var (validator, _) = ValidatorFor(o => { o.Authority = issuer.Authority; o.Issuer = "https://sts.example.com/"; });

        Assert.True((await validator.ValidateAsync(TokenFrom(issuer, First, "k1", iss: "https://sts.example.com/"))).IsValid);
        Assert.Equal("The issuer is not accepted", (await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).Reason);
    }

    [Fact]
    public async Task Configured_and_published_keys_work_together()
    {
        await using var issuer = IdentityProviderServer.Start((First, "k1"));
        var (validator, _) = ValidatorFor(o => { o.JwksUri = issuer.JwksUri; o.PublicKeys = Configured.PublicPem; });

        Assert.True((await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).IsValid);
        Assert.True((await validator.ValidateAsync(TokenFrom(issuer, Configured, Configured.Thumbprint))).IsValid);
        Assert.True((await validator.ValidateAsync(TestTokens.Create(Configured, audience: IdentityProviderServer.Audience))).IsValid);
        Assert.Equal(0, issuer.DiscoveryFetches);
    }

    [Fact]
    public async Task Configured_keys_answer_while_the_issuer_was_never_reached()
    {
        await using var issuer = IdentityProviderServer.Start((First, "k1"));
        issuer.Down = true;
        var (validator, _) = ValidatorFor(o => { o.JwksUri = issuer.JwksUri; o.PublicKeys = Configured.PublicPem; });

        Assert.True((await validator.ValidateAsync(TokenFrom(issuer, Configured, Configured.Thumbprint))).IsValid);
        Assert.Equal(TokenStatus.KeysUnavailable, (await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).Status);
    }

    [Fact]
    public async Task Published_keys_obey_the_same_rules_as_configured_ones()
    {
        var weak = TestKey.Rsa(bits: 1024);
        await using var issuer = IdentityProviderServer.Start((First, "k1"), (weak, "weak"));
        var logs = new CapturedLogs();
        var (validator, _) = ValidatorFor(o => { o.Authority = issuer.Authority; o.Algorithms = "RS256"; }, LoggerFor(logs));

        Assert.True((await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).IsValid);
        Assert.Equal("The signing key is unknown", (await validator.ValidateAsync(TokenFrom(issuer, weak, "weak"))).Reason);
        Assert.Equal("The signing algorithm is not allowed", (await validator.ValidateAsync(TestTokens.Create(First, kid: "k1", algorithm: "RS384", issuer: issuer.Issuer, audience: IdentityProviderServer.Audience))).Reason);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(": key 2 is an RSA key of 1024 bits", StringComparison.Ordinal));
    }

    [Fact]
    public async Task While_the_issuer_fails_unknown_key_ids_still_cost_one_fetch_per_interval()
    {
        await using var issuer = IdentityProviderServer.Start((First, "k1"));
        var clock = new ManualClock();
        var (validator, _) = ValidatorFor(o => o.Authority = issuer.Authority, time: clock);
        Assert.True((await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).IsValid);

        issuer.Down = true;
        for (var i = 0; i < 20; i++)
        {
            // The configuration manager only counts successful fetches: this limit is the app's own.
            clock.Advance(TimeSpan.FromSeconds(2));
            Assert.Equal("The signing key is unknown", (await validator.ValidateAsync(TokenFrom(issuer, First, $"made-up-{i}"))).Reason);
        }

        Assert.Equal(2, issuer.DiscoveryFetches);
        Assert.True((await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).IsValid);
    }

    [Fact]
    public async Task A_published_set_without_usable_keys_leaves_the_last_keys_in_use()
    {
        await using var issuer = IdentityProviderServer.Start((First, "k1"));
        var logs = new CapturedLogs();
        var (validator, keys) = ValidatorFor(o => o.JwksUri = issuer.JwksUri, LoggerFor(logs));
        Assert.True((await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).IsValid);

        issuer.Publish();
        await keys.RefreshAsync(CancellationToken.None);

        Assert.Equal(2, issuer.JwksFetches);
        Assert.Equal("alice", (await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).UserId);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.StartsWith($"{issuer.JwksUri} gave no usable signing key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_configured_key_waits_for_the_discovered_issuer_it_must_be_held_to()
    {
        await using var issuer = IdentityProviderServer.Start((First, "k1"));
        issuer.Down = true;
        var (validator, _) = ValidatorFor(o => { o.Authority = issuer.Authority; o.PublicKeys = Configured.PublicPem; });

        Assert.Equal(TokenStatus.KeysUnavailable, (await validator.ValidateAsync(TestTokens.Create(Configured, issuer: "https://anyone.example.com/", audience: IdentityProviderServer.Audience))).Status);
        // What the issuer's keys cannot change is final: a configured key's kid with a bad signature.
        var forged = TestTokens.Create(First, kid: Configured.Thumbprint, issuer: issuer.Issuer, audience: IdentityProviderServer.Audience);
        Assert.Equal("The signature is invalid", (await validator.ValidateAsync(forged)).Reason);
    }

    [Fact]
    public async Task A_discovery_document_naming_another_issuer_is_a_failed_fetch()
    {
        await using var issuer = IdentityProviderServer.Start((First, "k1"));
        issuer.Issuer = "https://impostor.example.com/";
        var logs = new CapturedLogs();
        var (validator, _) = ValidatorFor(o => o.Authority = issuer.Authority, LoggerFor(logs));

        Assert.Equal(TokenStatus.KeysUnavailable, (await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).Status);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.StartsWith($"{issuer.Authority}/.well-known/openid-configuration names an issuer other than Jwt__Authority ({issuer.Authority})", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_discovery_document_naming_another_issuer_is_accepted_when_Jwt__Issuer_says_so()
    {
        await using var issuer = IdentityProviderServer.Start((First, "k1"));
        issuer.Issuer = "https://sts.example.com/tenant/";
        var (validator, _) = ValidatorFor(o => { o.Authority = issuer.Authority; o.Issuer = issuer.Issuer; });

        Assert.Equal("alice", (await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).UserId);
    }

    [Fact]
    public async Task An_issuer_that_answers_with_a_redirect_is_not_followed()
    {
        await using var issuer = IdentityProviderServer.Start((First, "k1"));
        issuer.Redirects = true;
        var logs = new CapturedLogs();
        var (validator, _) = ValidatorFor(o => o.Authority = issuer.Authority, LoggerFor(logs));

        Assert.Equal(TokenStatus.KeysUnavailable, (await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).Status);
        Assert.Equal(0, issuer.RedirectTargetFetches);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("(it answered 302, a redirect, which is not followed)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_key_document_over_1_MiB_is_a_failed_fetch_whatever_its_framing(bool chunked)
    {
        await using var issuer = IdentityProviderServer.Start((First, "k1"));
        issuer.JwksPaddedTo = 2 * 1024 * 1024;
        issuer.Chunked = chunked;
        var logs = new CapturedLogs();
        var (validator, _) = ValidatorFor(o => o.JwksUri = issuer.JwksUri, LoggerFor(logs));

        Assert.Equal(TokenStatus.KeysUnavailable, (await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).Status);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("(its answer is larger than 1 MiB)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_document_of_just_under_1_MiB_is_read()
    {
        await using var issuer = IdentityProviderServer.Start((First, "k1"));
        issuer.JwksPaddedTo = (1024 * 1024) - 16;
        var (validator, _) = ValidatorFor(o => o.JwksUri = issuer.JwksUri);

        Assert.Equal("alice", (await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).UserId);
    }

    [Fact]
    public async Task The_issuers_keys_are_dropped_after_the_maximum_age_without_a_fetch_and_used_again_after_one()
    {
        await using var issuer = IdentityProviderServer.Start((First, "k1"));
        var clock = new ManualClock();
        var logs = new CapturedLogs();
        var (validator, keys) = ValidatorFor(o => { o.JwksUri = issuer.JwksUri; o.PublicKeys = Configured.PublicPem; }, LoggerFor(logs), clock);
        Assert.True((await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).IsValid);

        issuer.Down = true;
        clock.Advance(TimeSpan.FromHours(23.9));
        Assert.True((await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).IsValid);

        clock.Advance(TimeSpan.FromHours(0.2));
        Assert.Equal(TokenStatus.KeysUnavailable, (await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).Status);
        // Configured keys are not the issuer's: they stay.
        Assert.True((await validator.ValidateAsync(TokenFrom(issuer, Configured, Configured.Thumbprint))).IsValid);
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("were last fetched more than 24 hours ago", StringComparison.Ordinal));

        issuer.Down = false;
        await keys.RefreshAsync(CancellationToken.None);
        Assert.True((await validator.ValidateAsync(TokenFrom(issuer, First, "k1"))).IsValid);
    }
}
