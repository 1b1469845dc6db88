using LogoutFunction.Logout;

namespace LogoutFunction.Tests.Logout;

public sealed class LogSafeTests
{
    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("DOMAIN\\alice", "DOMAIN\\alice")]
    [InlineData("émilie 李", "émilie 李")]
    [InlineData("mallory\r\nLogout Revoked for user alice", "mallory\\u000d\\u000aLogout Revoked for user alice")]
    [InlineData("tab\there", "tab\\u0009here")]
    [InlineData("nul\0", "nul\\u0000")]
    [InlineData("del\u007f c1\u0085", "del\\u007f c1\\u0085")]
    [InlineData("line\u2028para\u2029", "line\\u2028para\\u2029")]
    [InlineData("bidi\u202eevil\u2066x\u2069", "bidi\\u202eevil\\u2066x\\u2069")]
    public void Escapes_what_could_forge_or_hide_a_log_line_and_nothing_else(string value, string logged)
    {
        Assert.Equal(logged, LogSafe.Escape(value));
    }

    [Fact]
    public void A_clean_value_is_returned_as_is_without_copying()
    {
        var value = "alice@example.com";

        Assert.Same(value, LogSafe.Escape(value));
    }
}
