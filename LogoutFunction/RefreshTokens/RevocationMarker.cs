using Azure.Data.Tables;

namespace LogoutFunction.RefreshTokens;

/// <summary>
/// A user's revocation marker, as a global logout writes it and the issuer reads it
/// (docs/design.md, "Log out everywhere"): the schema that the store, the reference issuer in
/// DevTokens and the tests share.
/// </summary>
public static class RevocationMarker
{
    public const string RowKey = "sessions";
    public const string ValidSinceProperty = "ValidSince";

    /// <summary>The marker's PartitionKey: the lowercase hex SHA-256 of the user id, as a refresh token's RowKey.</summary>
    public static string PartitionKeyOf(string userId) => RefreshTokenKey.OwnerKey(userId);

    /// <summary>The marker's time, or null when it has none of type <c>Edm.DateTime</c> (whoever wrote it).</summary>
    public static DateTimeOffset? ValidSinceOf(TableEntity marker) =>
        marker.TryGetValue(ValidSinceProperty, out var value) && value is DateTimeOffset validSince ? validSince : null;
}
