namespace LogoutFunction.Tests.Support;

/// <summary>Seeds and inspects refresh-token rows directly, as the login endpoint would write them.</summary>
public static class RefreshTokenTableExtensions
{
    public static async Task<RefreshTokenEntity> SeedAsync(this TableClient table, string refreshToken, string userId)
    {
        var entity = RefreshTokenEntity.Create(refreshToken, userId, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(30));
        await table.AddEntityAsync(entity);
        return entity;
    }

    public static async Task<bool> ContainsAsync(this TableClient table, RefreshTokenEntity entity) =>
        (await table.GetEntityIfExistsAsync<TableEntity>(entity.PartitionKey, entity.RowKey)).HasValue;
}
