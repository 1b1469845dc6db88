namespace LogoutFunction.Tests.RefreshTokens;

public sealed class RefreshTokenKeyTests
{
    [Fact]
    public void Keys_are_lowercase_hex_SHA_256_of_the_UTF8_token_and_user()
    {
        var key = RefreshTokenKey.For("abc", "élise");

        // SHA-256("abc") is the FIPS 180-2 test vector; "élise" checks UTF-8, not UTF-16.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", key.PartitionKey);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("élise"u8)), key.RowKey);
        Assert.Equal("ba7816bf", key.CorrelationId);
    }
}
