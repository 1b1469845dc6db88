namespace LogoutFunction.RefreshTokens;

/// <summary>The revocation could not be carried out; the caller should retry later.</summary>
public sealed class RefreshTokenStoreUnavailableException(string reason, Exception? innerException = null)
    : Exception(reason, innerException);
