namespace DevTokens;

/// <summary>
/// An expected failure (missing key, unreachable Azurite, bad option). Program prints only its
/// message, on one line, and exits non-zero: a developer needs the cause, not a stack trace, and
/// messages are written so they never contain a private key or a connection string.
/// </summary>
public sealed class DevToolException : Exception
{
    public DevToolException(string message) : base(message) { }

    public DevToolException(string message, Exception innerException) : base(message, innerException) { }

    public DevToolException() { }
}
