namespace LogoutFunction.RefreshTokens;

/// <summary>How the refresh-token table is reached; the connection itself is the <c>RefreshTokenStorage</c> setting.</summary>
public sealed class RefreshTokenStorageOptions
{
    public const string ConnectionName = "RefreshTokenStorage";
    public const string TableSetting = "RefreshTokenTable";
    public const string DefaultTableName = "RefreshTokens";
    public const string RevocationTableSetting = "RevocationTable";
    public const string DefaultRevocationTableName = "RefreshTokenRevocations";

    /// <summary>The <c>RefreshTokenTable</c> setting.</summary>
    public string TableName { get; set; } = DefaultTableName;

    /// <summary>The <c>RevocationTable</c> setting: the users' revocation markers, written by a global logout.</summary>
    public string RevocationTableName { get; set; } = DefaultRevocationTableName;

    /// <summary>Table Storage's naming rule, checked up front because the service answers a bad name with a bare 400.</summary>
    public static bool IsValidTableName(string name) =>
        name.Length is >= 3 and <= 63 && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit);
}
