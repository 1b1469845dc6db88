namespace LogoutFunction.RefreshTokens;

public enum RevocationOutcome
{
    /// <summary>The caller's refresh token existed and is deleted.</summary>
    Revoked,

    /// <summary>No such token for this caller: unknown, already revoked, or someone else's.</summary>
    NothingToRevoke,

    /// <summary>
    /// Gone, but which of the two is unknown: an earlier attempt of the same delete may have
    /// revoked it before its answer was lost, and the retry then found nothing.
    /// </summary>
    RevokedOrAbsent,

    /// <summary>
    /// Not known to be revoked: the store could not be reached in time, throttled past the
    /// retries, no credential could be had for it, or the table is missing. Worth a retry later.
    /// </summary>
    StoreUnavailable,
}
