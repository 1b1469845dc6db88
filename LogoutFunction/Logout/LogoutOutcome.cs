namespace LogoutFunction.Logout;

/// <summary>Every way a logout ends; each maps to one row of the contract table.</summary>
public enum LogoutOutcome
{
    Revoked,
    NothingToRevoke,

    /// <summary>The refresh token is gone: revoked by an earlier attempt whose answer was lost, or never there.</summary>
    RevokedOrAbsent,
    NoRefreshToken,
    TokenMissing,
    TokenInvalid,
    TokenExpired,

    /// <summary>The request declared a body that did not arrive (see <see cref="LogoutRequest.BodyLost"/>).</summary>
    LengthRequired,
    UnsupportedMediaType,
    BodyTooLarge,
    BodyNotJsonObject,
    RefreshTokenInvalid,
    StoreUnavailable,

    /// <summary>The token's key may be the issuer's, whose keys could never be fetched: no verdict yet.</summary>
    KeysUnavailable,

    /// <summary>The invocation was cancelled (the host shutting down, or the caller gone) before the revocation finished.</summary>
    Cancelled,
    Failed,
}
