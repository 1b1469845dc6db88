namespace LogoutFunction.Logout;

/// <summary>Every way a logout ends; each maps to one row of the contract table.</summary>
public enum LogoutOutcome
{
    Revoked,
    NothingToRevoke,
    NoRefreshToken,
    TokenMissing,
    TokenInvalid,
    TokenExpired,
    UnsupportedMediaType,
    BodyTooLarge,
    BodyNotJsonObject,
    RefreshTokenInvalid,
    StoreUnavailable,
    Failed,
}
