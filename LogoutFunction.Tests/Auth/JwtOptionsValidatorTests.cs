namespace LogoutFunction.Tests.Auth;

public sealed class JwtOptionsValidatorTests
{
    private static readonly string PublicKey = TestKey.Rsa().PublicPem;

    private static IEnumerable<string> FailuresOf(Action<JwtOptions> configure)
    {
        var options = new JwtOptions { PublicKeys = PublicKey, Audience = "api://logout" };
        configure(options);
        return new JwtOptionsValidator().Validate(null, options).Failures ?? [];
    }

    [Fact]
    public void Accepts_the_defaults_with_a_key()
    {
        Assert.Empty(FailuresOf(_ => { }));
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("none")]
    [InlineData("RS256,HS512")]
    [InlineData("rs256")]
    public void Refuses_symmetric_none_or_unknown_algorithms_whatever_the_configuration(string algorithms)
    {
        var failure = Assert.Single(FailuresOf(o => o.Algorithms = algorithms));

        Assert.StartsWith("Jwt__Algorithms contains", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_an_empty_algorithm_list()
    {
        Assert.StartsWith("Jwt__Algorithms is empty", Assert.Single(FailuresOf(o => o.Algorithms = " , ")), StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_negative_clock_skew_and_a_blank_user_claim()
    {
        Assert.Equal(
            ["Jwt__ClockSkewSeconds must be between 0 and 300.", "Jwt__UserIdClaim must name a claim, for example 'sub'."],
            FailuresOf(o => { o.ClockSkewSeconds = -1; o.UserIdClaim = " "; }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    [InlineData(365)]
    public void Accepts_an_expired_token_grace_from_off_to_a_year(int days)
    {
        Assert.Empty(FailuresOf(o => o.ExpiredTokenGraceDays = days));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(366)]
    [InlineData(int.MaxValue)]
    public void Refuses_an_expired_token_grace_outside_off_to_a_year(int days)
    {
        Assert.Equal("Jwt__ExpiredTokenGraceDays must be between 0 (off) and 365.", Assert.Single(FailuresOf(o => o.ExpiredTokenGraceDays = days)));
    }

    [Theory]
    [InlineData("Authority")]
    [InlineData("JwksUri")]
    public void Keys_from_an_issuer_require_an_audience(string setting)
    {
        var failure = Assert.Single(FailuresOf(o =>
        {
            o.Audience = null;
            if (setting == "Authority")
            {
                o.Authority = "https://login.example.com/tenant/v2.0";
            }
            else
            {
                o.JwksUri = "https://login.example.com/keys";
            }
        }));

        Assert.StartsWith("Jwt__Audience is required with Jwt__Authority or Jwt__JwksUri", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Static_keys_alone_need_no_audience()
    {
        Assert.Empty(FailuresOf(o => o.Audience = null));
    }

    [Theory]
    [InlineData(0, 60)]
    [InlineData(721, 60)]
    [InlineData(1, 60)]
    [InlineData(2, 120)]
    public void Refuses_an_issuer_keys_maximum_age_out_of_range_or_within_one_refresh(int hours, int refreshMinutes)
    {
        Assert.Equal(
            "Jwt__IssuerKeysMaxAgeHours must be between 1 and 720, and longer than Jwt__KeysRefreshMinutes.",
            Assert.Single(FailuresOf(o => { o.IssuerKeysMaxAgeHours = hours; o.KeysRefreshMinutes = refreshMinutes; })));
    }

    [Theory]
    [InlineData(2, 60)]
    [InlineData(24, 60)]
    [InlineData(720, 1440)]
    public void Accepts_an_issuer_keys_maximum_age_longer_than_a_refresh(int hours, int refreshMinutes)
    {
        Assert.Empty(FailuresOf(o => { o.IssuerKeysMaxAgeHours = hours; o.KeysRefreshMinutes = refreshMinutes; }));
    }

    [Fact]
    public void Reports_a_missing_key_by_its_setting_name()
    {
        Assert.StartsWith("Jwt__PublicKeys is not set", Assert.Single(FailuresOf(o => o.PublicKeys = null)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://login.example.com/tenant/v2.0")]
    [InlineData("http://127.0.0.1:8080/realms/api")]
    [InlineData("http://[::1]:8080/")]
    [InlineData("http://localhost:8080/")]
    public void Accepts_an_issuer_over_https_or_on_this_machine(string address)
    {
        Assert.Empty(FailuresOf(o => { o.PublicKeys = null; o.Authority = address; }));
        Assert.Empty(FailuresOf(o => { o.PublicKeys = null; o.JwksUri = address; }));
    }

    [Theory]
    [InlineData("http://login.example.com/", "must use https")]
    [InlineData("login.example.com", "is not an absolute https URL")]
    [InlineData("ftp://login.example.com/", "is not an absolute https URL")]
    [InlineData("https://user:secret@login.example.com/", "is not an absolute https URL")]
    public void Refuses_an_issuer_address_that_is_not_https(string address, string failure)
    {
        Assert.Equal($"Jwt__Authority {failure}" + (failure.StartsWith("must", StringComparison.Ordinal) ? " (plain http only for a loopback address)." : "."), Assert.Single(FailuresOf(o => o.Authority = address)));
        Assert.StartsWith($"Jwt__JwksUri {failure}", Assert.Single(FailuresOf(o => o.JwksUri = address)), StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_both_an_authority_and_a_JWKS_URL()
    {
        Assert.StartsWith("Jwt__Authority and Jwt__JwksUri are both set", Assert.Single(FailuresOf(o => { o.Authority = "https://a.example.com/"; o.JwksUri = "https://a.example.com/keys"; })), StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_refresh_intervals_out_of_range()
    {
        Assert.Equal(
            ["Jwt__KeysRefreshMinutes must be between 5 and 1440.", "Jwt__UnknownKeyRefreshSeconds must be between 1 and 3600."],
            FailuresOf(o => { o.KeysRefreshMinutes = 4; o.UnknownKeyRefreshSeconds = 0; }));
    }

    [Fact]
    public void Names_every_key_setting_when_none_is_set()
    {
        Assert.Equal(
            "Jwt__PublicKeys is not set: configure one or more PEM public keys or a JWKS document, or Jwt__Authority or Jwt__JwksUri.",
            Assert.Single(FailuresOf(o => o.PublicKeys = " ")));
    }
}
