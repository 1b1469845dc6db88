namespace LogoutFunction.Logout;

/// <summary>What a logout has learnt about its caller so far, for the log entry, even when it fails half-way.</summary>
internal sealed class LogoutTrace
{
    public string? UserId { get; set; }

    /// <summary>The token that named <see cref="UserId"/> had expired (within the grace).</summary>
    public bool TokenExpired { get; set; }

    /// <summary>The scope asked for, once it was read.</summary>
    public LogoutScope? Scope { get; set; }

    /// <summary>The first 8 hex characters of the refresh token's hash, once one was looked up.</summary>
    public string? TokenHash { get; set; }
}
