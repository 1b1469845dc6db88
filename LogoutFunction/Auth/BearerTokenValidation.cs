namespace LogoutFunction.Auth;

/// <summary>What checking a bearer token found. Refused comes first, so that a default verdict never lets anyone in.</summary>
public enum TokenVerdict
{
    /// <summary>Refused for the reason given.</summary>
    Refused,

    /// <summary>Valid now; it names the caller.</summary>
    Valid,

    /// <summary>
    /// Genuine, passes every check but its expiry, and expired no longer than
    /// <c>Jwt__ExpiredTokenGraceDays</c> ago: it still names its user, whose own refresh token it may revoke.
    /// </summary>
    ExpiredWithinGrace,

    /// <summary>Expired, and beyond the grace (or the grace is off).</summary>
    Expired,

    /// <summary>The token's key may be one of the issuer's, and its keys were never fetched: no verdict yet.</summary>
    KeysUnavailable,
}

/// <summary>The verdict on a bearer token: the user it names when it is genuine, or why it is refused.</summary>
/// <param name="UserId">The caller, for <see cref="TokenVerdict.Valid"/> and <see cref="TokenVerdict.ExpiredWithinGrace"/>.</param>
/// <param name="FailureReason">A fixed phrase for <c>WWW-Authenticate</c>, for the verdicts that end in a 401.</param>
public readonly record struct BearerTokenValidation(TokenVerdict Verdict, string? UserId, string? FailureReason)
{
    public const string ExpiredReason = "The token expired";

    public bool IsValid => Verdict == TokenVerdict.Valid;

    public static BearerTokenValidation Valid(string userId) => new(TokenVerdict.Valid, userId, null);

    public static BearerTokenValidation ExpiredWithinGrace(string userId) => new(TokenVerdict.ExpiredWithinGrace, userId, ExpiredReason);

    public static BearerTokenValidation Expired() => new(TokenVerdict.Expired, null, ExpiredReason);

    public static BearerTokenValidation Refused(string reason) => new(TokenVerdict.Refused, null, reason);

    public static BearerTokenValidation KeysUnavailable() => new(TokenVerdict.KeysUnavailable, null, null);
}
