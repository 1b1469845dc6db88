using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Tests.Auth;

public sealed class BearerTokenValidatorTests
{
    private static readonly TestKey Rsa = TestKey.Rsa();
    private static readonly TestKey OtherRsa = TestKey.Rsa();
    private static readonly TestKey Ec = TestKey.EcP256();

    private static BearerTokenValidator ValidatorFor(string publicKeys, Action<JwtOptions>? configure = null)
    {
        var options = new JwtOptions { PublicKeys = publicKeys };
        configure?.Invoke(options);
        var settings = Options.Create(options);
        return new BearerTokenValidator(settings, new SigningKeys(settings, TimeProvider.System, NullLogger<SigningKeys>.Instance));
    }

    private static async Task AssertInvalid(BearerTokenValidator validator, string token, string reason)
    {
        var result = await validator.ValidateAsync(token);
        Assert.False(result.IsValid);
        Assert.Null(result.UserId);
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public async Task Accepts_an_RS256_token_and_names_the_caller()
    {
        var result = await ValidatorFor(Rsa.PublicPem).ValidateAsync(TestTokens.Create(Rsa, user: "alice"));

        Assert.True(result.IsValid);
        Assert.Equal("alice", result.UserId);
    }

    [Fact]
    public async Task Accepts_an_ES256_token_with_an_EC_key()
    {
        var validator = ValidatorFor(Ec.PublicPem, o => o.Algorithms = "ES256");

        Assert.Equal("alice", (await validator.ValidateAsync(TestTokens.Create(Ec))).UserId);
    }

    [Theory]
    [InlineData(SecurityAlgorithms.RsaSha384)]
    [InlineData(SecurityAlgorithms.RsaSsaPssSha256)]
    public async Task Accepts_other_configured_RSA_algorithms(string algorithm)
    {
        var validator = ValidatorFor(Rsa.PublicPem, o => o.Algorithms = "RS256, " + algorithm);

        Assert.True((await validator.ValidateAsync(TestTokens.Create(Rsa, algorithm: algorithm))).IsValid);
    }

    [Fact]
    public async Task Accepts_a_PKCS1_RSA_public_key()
    {
        Assert.True((await ValidatorFor(Rsa.PublicPkcs1Pem).ValidateAsync(TestTokens.Create(Rsa))).IsValid);
    }

    [Fact]
    public async Task Refuses_an_algorithm_outside_the_allow_list()
    {
        var token = TestTokens.Create(Rsa, algorithm: SecurityAlgorithms.RsaSha512);

        await AssertInvalid(ValidatorFor(Rsa.PublicPem), token, "The signing algorithm is not allowed");
    }

    [Fact]
    public async Task Refuses_alg_none()
    {
        await AssertInvalid(ValidatorFor(Rsa.PublicPem), TestTokens.CreateUnsigned(), "The signing algorithm is not allowed");
    }

    [Fact]
    public async Task Refuses_HS256_signed_with_the_public_key_as_the_secret()
    {
        var forged = TestTokens.SignedWithPublicKeyAsHmacSecret(Rsa);

        var result = await ValidatorFor(Rsa.PublicPem, o => o.Algorithms = "RS256,RS384,RS512,PS256,ES256").ValidateAsync(forged);

        Assert.False(result.IsValid);
        Assert.Equal("The signing algorithm is not allowed", result.Reason);
    }

    [Fact]
    public async Task Refuses_a_token_signed_by_another_key()
    {
        await AssertInvalid(ValidatorFor(Rsa.PublicPem), TestTokens.Create(OtherRsa, kid: ""), "The signature is invalid");
    }

    [Fact]
    public async Task Refuses_an_unknown_kid_even_when_a_configured_key_would_verify_it()
    {
        await AssertInvalid(ValidatorFor(Rsa.PublicPem), TestTokens.Create(Rsa, kid: "retired-key"), "The signing key is unknown");
    }

    [Fact]
    public async Task Rotation_with_kid_picks_the_named_key_from_a_JWKS()
    {
        var validator = ValidatorFor(TestKey.JwksOf((Rsa, "2026-01"), (OtherRsa, "2026-02")));

        Assert.True((await validator.ValidateAsync(TestTokens.Create(Rsa, kid: "2026-01"))).IsValid);
        Assert.True((await validator.ValidateAsync(TestTokens.Create(OtherRsa, kid: "2026-02"))).IsValid);
        await AssertInvalid(validator, TestTokens.Create(OtherRsa, kid: "2026-01"), "The signature is invalid");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Verifies_with_a_JWK_as_identity_providers_publish_it_certificate_included(bool withModulus)
    {
        var validator = ValidatorFor(OtherRsa.JwksWithCertificate("idp-1", withModulus));

        Assert.Equal("alice", (await validator.ValidateAsync(TestTokens.Create(OtherRsa, kid: "idp-1"))).UserId);
        await AssertInvalid(validator, TestTokens.Create(Rsa, kid: "idp-1"), "The signature is invalid");
    }

    [Fact]
    public async Task Rotation_with_concatenated_PEM_keys_matches_kid_by_thumbprint()
    {
        var validator = ValidatorFor(Rsa.PublicPem + "\n" + OtherRsa.PublicPem);

        Assert.True((await validator.ValidateAsync(TestTokens.Create(Rsa))).IsValid);
        Assert.True((await validator.ValidateAsync(TestTokens.Create(OtherRsa))).IsValid);
    }

    [Fact]
    public async Task Rotation_without_kid_tries_every_key()
    {
        var validator = ValidatorFor(string.Join("\n", Rsa.PublicPem, OtherRsa.PublicPem, Ec.PublicPem), o => o.Algorithms = "RS256,ES256");

        Assert.True((await validator.ValidateAsync(TestTokens.Create(OtherRsa, kid: ""))).IsValid);
        Assert.True((await validator.ValidateAsync(TestTokens.Create(Ec, kid: ""))).IsValid);
        await AssertInvalid(validator, TestTokens.Create(TestKey.Rsa(), kid: ""), "The signature is invalid");
    }

    private static readonly TimeSpan TwoHours = TimeSpan.FromHours(2);
    private static readonly Dictionary<string, object> CritNamingExp = new() { ["crit"] = new[] { "exp" } };

    [Fact]
    public async Task An_expired_genuine_token_within_the_grace_still_names_its_user()
    {
        var result = await ValidatorFor(Rsa.PublicPem).ValidateAsync(TestTokens.Expired(Rsa, TwoHours, user: "alice"));

        Assert.Equal(TokenStatus.ExpiredWithinGrace, result.Status);
        Assert.Equal("alice", result.UserId);
        Assert.Equal("The token expired", result.Reason);
        Assert.False(result.IsValid);
    }

    [Theory]
    [InlineData(29, TokenStatus.ExpiredWithinGrace)]
    [InlineData(31, TokenStatus.Refused)]
    public async Task The_grace_is_30_days_by_default(int daysAgo, TokenStatus status)
    {
        var result = await ValidatorFor(Rsa.PublicPem).ValidateAsync(TestTokens.Expired(Rsa, TimeSpan.FromDays(daysAgo)));

        Assert.Equal(status, result.Status);
        Assert.Equal("The token expired", result.Reason);
    }

    [Fact]
    public async Task The_grace_is_counted_from_the_expiry_plus_the_clock_skew()
    {
        var validator = ValidatorFor(Rsa.PublicPem, o => { o.ExpiredTokenGraceDays = 1; o.ClockSkewSeconds = 60; });
        var oneDay = TimeSpan.FromDays(1);

        Assert.Equal(TokenStatus.ExpiredWithinGrace, (await validator.ValidateAsync(TestTokens.Expired(Rsa, oneDay + TimeSpan.FromSeconds(30)))).Status);
        await AssertInvalid(validator, TestTokens.Expired(Rsa, oneDay + TimeSpan.FromSeconds(90)), "The token expired");
    }

    [Fact]
    public async Task A_grace_of_zero_days_refuses_every_expired_token()
    {
        var validator = ValidatorFor(Rsa.PublicPem, o => o.ExpiredTokenGraceDays = 0);

        await AssertInvalid(validator, TestTokens.Expired(Rsa, TimeSpan.FromMinutes(2)), "The token expired");
        await AssertInvalid(validator, TestTokens.Expired(Rsa, TwoHours), "The token expired");
    }

    [Fact]
    public async Task An_exp_at_the_epoch_is_beyond_any_grace()
    {
        var atTheEpoch = TestTokens.Create(Rsa, expires: DateTime.UnixEpoch, notBefore: DateTime.UnixEpoch.AddHours(-1), issuedAt: DateTime.UnixEpoch.AddHours(-1));

        await AssertInvalid(ValidatorFor(Rsa.PublicPem, o => o.ExpiredTokenGraceDays = JwtOptionsValidator.MaxExpiredTokenGraceDays), atTheEpoch, "The token expired");
    }

    [Fact]
    public async Task Allows_the_configured_clock_skew_and_no_more()
    {
        var justExpired = TestTokens.Expired(Rsa, TimeSpan.FromSeconds(10));

        Assert.True((await ValidatorFor(Rsa.PublicPem).ValidateAsync(justExpired)).IsValid);
        Assert.Equal(TokenStatus.ExpiredWithinGrace, (await ValidatorFor(Rsa.PublicPem, o => o.ClockSkewSeconds = 0).ValidateAsync(justExpired)).Status);
    }

    [Fact]
    public async Task Default_skew_is_30_seconds_not_the_library_five_minutes()
    {
        var expiredAMinuteAgo = TestTokens.Expired(Rsa, TimeSpan.FromSeconds(60));

        Assert.Equal(TokenStatus.ExpiredWithinGrace, (await ValidatorFor(Rsa.PublicPem).ValidateAsync(expiredAMinuteAgo)).Status);
    }

    public static TheoryData<string, string> ExpiredAndWrongOtherwise => new()
    {
        { "an altered signature", "The signature is invalid" },
        { "another key's signature", "The signature is invalid" },
        { "an unknown kid", "The signing key is unknown" },
        { "alg none", "The signing algorithm is not allowed" },
        { "a crit header", "The token uses an unsupported critical header" },
        { "no user id", "The token has no user id" },
        { "the wrong issuer", "The issuer is not accepted" },
        { "the wrong audience", "The audience is not accepted" },
        { "nbf after exp", "The token lifetime is invalid" },
        { "iat in the future", "The token was issued in the future" },
    };

    [Theory]
    [MemberData(nameof(ExpiredAndWrongOtherwise))]
    public async Task An_expired_token_that_is_also_wrong_otherwise_is_refused_for_that_within_the_grace_or_not(string defect, string reason)
    {
        foreach (var ago in new[] { TwoHours, TimeSpan.FromDays(31) })
        {
            DateTime expires = DateTime.UtcNow - ago, before = expires.AddHours(-1);
            var token = defect switch
            {
                "an altered signature" => TestTokens.WithAlteredSignature(TestTokens.Expired(Rsa, ago)),
                "another key's signature" => TestTokens.Expired(OtherRsa, ago, kid: ""),
                "an unknown kid" => TestTokens.Expired(Rsa, ago, kid: "retired-key"),
                "alg none" => TestTokens.CreateUnsigned(expires: expires),
                "a crit header" => TestTokens.Expired(Rsa, ago, extraHeaders: CritNamingExp),
                "no user id" => TestTokens.Expired(Rsa, ago, user: ""),
                "the wrong issuer" => TestTokens.Create(Rsa, expires: expires, notBefore: before, issuedAt: before, issuer: "https://other"),
                "the wrong audience" => TestTokens.Create(Rsa, expires: expires, notBefore: before, issuedAt: before, audience: "other"),
                "nbf after exp" => TestTokens.Create(Rsa, expires: expires, notBefore: expires.AddSeconds(1), issuedAt: before),
                _ => TestTokens.Create(Rsa, expires: expires, notBefore: before, issuedAt: DateTime.UtcNow.AddHours(1)),
            };

            var validator = defect switch
            {
                "the wrong issuer" => ValidatorFor(Rsa.PublicPem, o => o.Issuer = "https://expected"),
                "the wrong audience" => ValidatorFor(Rsa.PublicPem, o => o.Audience = "api"),
                _ => ValidatorFor(Rsa.PublicPem),
            };
            await AssertInvalid(validator, token, reason);
        }
    }

    [Fact]
    public async Task Refuses_a_token_not_valid_yet()
    {
        var token = TestTokens.Create(Rsa, notBefore: DateTime.UtcNow.AddMinutes(5), expires: DateTime.UtcNow.AddHours(1));

        await AssertInvalid(ValidatorFor(Rsa.PublicPem), token, "The token is not valid yet");
    }

    [Fact]
    public async Task Refuses_a_token_without_exp()
    {
        await AssertInvalid(ValidatorFor(Rsa.PublicPem), TestTokens.Create(Rsa, withExpiry: false), "The token has no expiry");
    }

    [Fact]
    public async Task Refuses_a_token_without_the_user_id_claim()
    {
        await AssertInvalid(ValidatorFor(Rsa.PublicPem), TestTokens.Create(Rsa, user: ""), "The token has no user id");
    }

    private static readonly string[] OneName = ["alice"];
    private static readonly string[] TwoNames = ["alice", "bob"];

    public static TheoryData<object> NotAString => new() { 123, true, OneName, TwoNames, new Dictionary<string, object> { ["id"] = "alice" }, "   " };

    [Theory]
    [MemberData(nameof(NotAString))]
    public async Task A_user_id_claim_that_is_not_a_non_blank_string_names_no_one(object value)
    {
        // A custom claim: the library itself refuses a non-string "sub" as malformed.
        var token = TestTokens.Create(Rsa, user: "", extraClaims: new Dictionary<string, object> { ["username"] = value });

        await AssertInvalid(ValidatorFor(Rsa.PublicPem, o => o.UserIdClaim = "username"), token, "The token has no user id");
    }

    [Fact]
    public async Task Reads_the_user_id_from_the_configured_claim()
    {
        var validator = ValidatorFor(Rsa.PublicPem, o => o.UserIdClaim = "username");

        Assert.Equal("bob", (await validator.ValidateAsync(TestTokens.Create(Rsa, user: "bob", userIdClaim: "username"))).UserId);
        await AssertInvalid(validator, TestTokens.Create(Rsa, user: "bob", userIdClaim: "sub"), "The token has no user id");
    }

    [Fact]
    public async Task Checks_issuer_and_audience_only_when_configured()
    {
        var token = TestTokens.Create(Rsa, issuer: "https://login.example", audience: "api");

        Assert.True((await ValidatorFor(Rsa.PublicPem).ValidateAsync(token)).IsValid);
        Assert.True((await ValidatorFor(Rsa.PublicPem, o => { o.Issuer = "https://other, https://login.example"; o.Audience = "api"; }).ValidateAsync(token)).IsValid);
        await AssertInvalid(ValidatorFor(Rsa.PublicPem, o => o.Issuer = "https://other"), token, "The issuer is not accepted");
        await AssertInvalid(ValidatorFor(Rsa.PublicPem, o => o.Audience = "other-api"), token, "The audience is not accepted");
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0")]
    [InlineData("....")]
    public async Task Refuses_malformed_tokens(string token)
    {
        await AssertInvalid(ValidatorFor(Rsa.PublicPem), token, "The token is malformed");
    }

    [Fact]
    public async Task Refuses_a_token_longer_than_8_KiB()
    {
        var padding = new Dictionary<string, object> { ["pad"] = new string('x', 8 * 1024) };

        await AssertInvalid(ValidatorFor(Rsa.PublicPem), TestTokens.Create(Rsa, extraClaims: padding), "The token is too large");
    }
}
