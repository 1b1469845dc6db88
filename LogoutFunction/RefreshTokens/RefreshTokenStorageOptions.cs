namespace LogoutFunction.RefreshTokens;

/// <summary>How the refresh-token table is reached; the connection itself is the <c>RefreshTokenStorage</c> setting.</summary>
public sealed class RefreshTokenStorageOptions
{
    public const string ConnectionName = "RefreshTokenStorage";

    /// <summary>The <c>RefreshTokenTable</c> setting.</summary>
    public string TableName { get; set; } = "RefreshTokens";
}
