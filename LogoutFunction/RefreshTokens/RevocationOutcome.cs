namespace LogoutFunction.RefreshTokens;

public enum RevocationOutcome
{
    /// <summary>The caller's refresh token existed and is deleted.</summary>
    Revoked,

    /// <summary>No such token for this caller: unknown, already revoked, or someone else's.</summary>
    NothingToRevoke,
}
