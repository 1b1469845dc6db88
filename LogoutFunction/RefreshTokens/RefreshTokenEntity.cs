using Azure;
using Azure.Data.Tables;

namespace LogoutFunction.RefreshTokens;

/// <summary>
/// One live refresh token, as the login and refresh endpoints write it. This function only
/// deletes these; the type is the schema that seeding tools and tests write.
/// </summary>
public sealed class RefreshTokenEntity : ITableEntity
{
    public required string PartitionKey { get; set; }
    public required string RowKey { get; set; }
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public required string UserId { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? CreatedAt { get; set; }

    public static RefreshTokenEntity Create(string refreshToken, string userId, DateTimeOffset createdAt, DateTimeOffset? expiresAt)
    {
        var key = RefreshTokenKey.For(refreshToken, userId);
        return new RefreshTokenEntity
        {
            PartitionKey = key.PartitionKey,
            RowKey = key.RowKey,
            UserId = userId,
            CreatedAt = createdAt,
            ExpiresAt = expiresAt,
        };
    }
}
