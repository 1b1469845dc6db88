namespace LogoutFunction.RefreshTokens;

/// <summary>How the refresh-token table is reached; the connection itself is the <c>RefreshTokenStorage</c> setting.</summary>
public sealed class RefreshTokenStorageOptions
{
    public const string ConnectionName = "RefreshTokenStorage";

    /// <summary>The <c>RefreshTokenTable</c> setting.</summary>
    public string TableName { get; set; } = "RefreshTokens";

    /// <summary>
    /// The whole budget of one revocation, retries included: a dead store answers 503 in
    /// seconds, well inside the host's function timeout.
    /// </summary>
    public TimeSpan RevocationTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
