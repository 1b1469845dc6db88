namespace LogoutFunction.Tests.Support;

/// <summary>Seeds and inspects refresh-token rows directly, as the login endpoint would write them, and reads revocation markers.</summary>
public static class RefreshTokenTableExtensions
{
    public static async Task<RefreshTokenEntity> SeedAsync(this TableClient table, string refreshToken, string userId, DateTimeOffset? createdAt = null)
    {
        var created = createdAt ?? DateTimeOffset.UtcNow;
        var entity = RefreshTokenEntity.Create(refreshToken, userId, created, created.AddDays(30));
        await table.AddEntityAsync(entity);
        return entity;
    }

    public static async Task<bool> ContainsAsync(this TableClient table, RefreshTokenEntity entity) =>
        (await table.GetEntityIfExistsAsync<TableEntity>(entity.PartitionKey, entity.RowKey)).HasValue;

    /// <summary>The user's revocation marker's time in a marker table; null without one.</summary>
    public static async Task<DateTimeOffset?> ValidSinceAsync(this TableClient markers, string userId)
    {
        var marker = await markers.GetEntityIfExistsAsync<TableEntity>(RevocationMarker.PartitionKeyOf(userId), RevocationMarker.RowKey);
        return marker.HasValue ? RevocationMarker.ValidSinceOf(marker.Value!) : null;
    }
}
