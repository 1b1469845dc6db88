using LogoutFunction.Auth;
using LogoutFunction.Tests.Support;

namespace LogoutFunction.Tests.Auth;

public sealed class JwtOptionsValidatorTests
{
    private static readonly string PublicKey = TestKey.Rsa().PublicPem;

    private static IEnumerable<string> FailuresOf(Action<JwtOptions> configure)
    {
        var options = new JwtOptions { PublicKeys = PublicKey };
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

    [Fact]
    public void Reports_a_missing_key_by_its_setting_name()
    {
        Assert.StartsWith("Jwt__PublicKeys is not set", Assert.Single(FailuresOf(o => o.PublicKeys = null)), StringComparison.Ordinal);
    }
}
