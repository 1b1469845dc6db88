using Azure.Data.Tables;
using LogoutFunction.RefreshTokens;

namespace DevTokens;

/// <summary>What a refresh endpoint that honours revocation markers would do with a refresh token.</summary>
/// <param name="Reason">Why it would be refused; null when it would be redeemed.</param>
public sealed record Redemption(bool Accepted, string? Reason)
{
    public static readonly Redemption Accept = new(true, null);

    public static Redemption Refuse(string reason) => new(false, reason);

    public override string ToString() => Accepted ? "accepted" : $"refused: {Reason}";
}

/// <summary>
/// The issuer's side of "log out everywhere" (docs/design.md), as a reference: the check a
/// refresh endpoint runs before it redeems a refresh token. It reads and redeems nothing else:
/// no rotation, no writes.
/// </summary>
public sealed class RefreshTokenRedeemer(TableClient refreshTokens, TableClient markers)
{
    public async Task<Redemption> CheckAsync(string refreshToken, string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = RefreshTokenKey.For(refreshToken, userId);
        var token = await refreshTokens.GetEntityIfExistsAsync<RefreshTokenEntity>(key.PartitionKey, key.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!token.HasValue)
        {
            return Redemption.Refuse("unknown or revoked");
        }

        if (token.Value!.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            return Redemption.Refuse("expired");
        }

        // One point read; no marker (or no marker table): no global logout ever happened.
        var marker = await markers.GetEntityIfExistsAsync<TableEntity>(
            RevocationMarker.PartitionKeyOf(userId), RevocationMarker.RowKey, [RevocationMarker.ValidSinceProperty], cancellationToken).ConfigureAwait(false);
        if (!marker.HasValue)
        {
            return Redemption.Accept;
        }

        // Fail closed: a marker without a readable time, or a token without CreatedAt, is refused.
        return RevocationMarker.ValidSinceOf(marker.Value!) is { } validSince
            && token.Value.CreatedAt is { } createdAt
            && createdAt > validSince
                ? Redemption.Accept
                : Redemption.Refuse("created before the user's global logout");
    }
}
