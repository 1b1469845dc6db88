namespace LogoutFunction.Auth;

/// <summary>What checking a bearer token found: the caller's user id, or why the token is refused.</summary>
public readonly record struct BearerTokenValidation(string? UserId, string? FailureReason, bool IsExpired, bool IsKeysUnavailable = false)
{
    public bool IsValid => UserId is not null;

    public static BearerTokenValidation Valid(string userId) => new(userId, null, false);

    public static BearerTokenValidation Invalid(string reason) => new(null, reason, false);

    public static BearerTokenValidation Expired() => new(null, "The token expired", true);

    /// <summary>The token's key may be one of the issuer's, and its keys were never fetched: neither valid nor invalid yet.</summary>
    public static BearerTokenValidation KeysUnavailable() => new(null, "The signing keys are not available yet", false, true);
}
