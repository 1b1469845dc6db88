using System.Security.Cryptography;
using System.Text;

namespace LogoutFunction.RefreshTokens;

/// <summary>
/// Where a refresh token lives in the table. Both keys are lowercase hex SHA-256, so a
/// leaked table holds no usable token, keys never contain characters Table Storage forbids,
/// and tokens spread over partitions. The owner in the RowKey makes a delete by
/// (PartitionKey, RowKey) able to remove only the caller's own token.
/// </summary>
public readonly record struct RefreshTokenKey(string PartitionKey, string RowKey)
{
    public static RefreshTokenKey For(string refreshToken, string userId) =>
        new(Sha256Hex(refreshToken), OwnerKey(userId));

    /// <summary>The RowKey of every refresh token of this user (and the PartitionKey of their revocation marker).</summary>
    public static string OwnerKey(string userId) => Sha256Hex(userId);

    /// <summary>A short, non-reversible handle for logs: the first 8 hex characters of the token hash.</summary>
    public string CorrelationId => PartitionKey[..8];

    private static string Sha256Hex(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
