namespace LogoutFunction.Auth;

/// <summary>What checking a bearer token found. Refused comes first, so that a default verdict never lets anyone in.</summary>
public enum TokenStatus
{
    /// <summary>Refused for its <see cref="TokenRefusal"/>; an expired token beyond the grace too.</summary>
    Refused,

    /// <summary>Valid now; it names the caller.</summary>
    Valid,

    /// <summary>
    /// Genuine, passes every check but its expiry, and expired no longer than
    /// <c>Jwt__ExpiredTokenGraceDays</c> ago: it still names its user, whose own refresh token it may revoke.
    /// </summary>
    ExpiredWithinGrace,

    /// <summary>The token's key may be one of the issuer's, and none of those is at hand: no verdict yet.</summary>
    KeysUnavailable,
}

/// <summary>Why a token is refused; each has the one fixed phrase the 401 and the log entry carry.</summary>
public enum TokenRefusal
{
    Invalid,
    Malformed,
    CriticalHeader,
    InvalidSignature,
    AlgorithmNotAllowed,
    UnknownKey,
    IssuerNotAccepted,
    AudienceNotAccepted,
    NotValidYet,
    IssuedInTheFuture,
    NoExpiry,
    LifetimeInvalid,
    NoUserId,
    TooLarge,
    Expired,
}

/// <summary>The verdict on a bearer token: the user it names when it is genuine, or why it is refused.</summary>
/// <param name="UserId">The caller, for <see cref="TokenStatus.Valid"/> and <see cref="TokenStatus.ExpiredWithinGrace"/>.</param>
public readonly record struct TokenVerdict(TokenStatus Status, string? UserId, TokenRefusal Refusal)
{
    public bool IsValid => Status == TokenStatus.Valid;

    /// <summary>The refusal's phrase, safe to send in <c>WWW-Authenticate</c>: it never echoes the token or the library.</summary>
    public string Reason => Phrase(Refusal);

    public static TokenVerdict Valid(string userId) => new(TokenStatus.Valid, userId, TokenRefusal.Invalid);

    public static TokenVerdict ExpiredWithinGrace(string userId) => new(TokenStatus.ExpiredWithinGrace, userId, TokenRefusal.Expired);

    public static TokenVerdict Refused(TokenRefusal refusal) => new(TokenStatus.Refused, null, refusal);

    public static TokenVerdict KeysUnavailable() => new(TokenStatus.KeysUnavailable, null, TokenRefusal.Invalid);

    public static string Phrase(TokenRefusal refusal) => refusal switch
    {
        TokenRefusal.Malformed => "The token is malformed",
        TokenRefusal.CriticalHeader => "The token uses an unsupported critical header",
        TokenRefusal.InvalidSignature => "The signature is invalid",
        TokenRefusal.AlgorithmNotAllowed => "The signing algorithm is not allowed",
        TokenRefusal.UnknownKey => "The signing key is unknown",
        TokenRefusal.IssuerNotAccepted => "The issuer is not accepted",
        TokenRefusal.AudienceNotAccepted => "The audience is not accepted",
        TokenRefusal.NotValidYet => "The token is not valid yet",
        TokenRefusal.IssuedInTheFuture => "The token was issued in the future",
        TokenRefusal.NoExpiry => "The token has no expiry",
        TokenRefusal.LifetimeInvalid => "The token lifetime is invalid",
        TokenRefusal.NoUserId => "The token has no user id",
        TokenRefusal.TooLarge => "The token is too large",
        TokenRefusal.Expired => "The token expired",
        _ => "The token is invalid",
    };
}
