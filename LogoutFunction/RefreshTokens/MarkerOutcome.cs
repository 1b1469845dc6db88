namespace LogoutFunction.RefreshTokens;

public enum MarkerOutcome
{
    /// <summary>The marker now says now: written, or moved forward.</summary>
    Moved,

    /// <summary>The marker was already later than now (another instance's clock ahead of this one's); left as it is.</summary>
    AlreadyLater,

    /// <summary>Not known to be written: the store could not be reached in time, throttled past the retries, or the table is missing.</summary>
    StoreUnavailable,
}
