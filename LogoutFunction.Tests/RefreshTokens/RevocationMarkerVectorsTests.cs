extern alias DevTool;

namespace LogoutFunction.Tests.RefreshTokens;

/// <summary>
/// The test vectors of docs/design.md ("Log out everywhere"), for issuers in other languages,
/// checked against this app's marker key and the reference issuer (DevTokens) over Azurite.
/// </summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class RevocationMarkerVectorsTests(AzuriteServer azurite)
{
    public static TheoryData<string, string, string, string, string> Vectors()
    {
        var data = new TheoryData<string, string, string, string, string>();
        var section = RepositoryPaths.Read("docs", "design.md").Split("## Log out everywhere")[1].Split("\n## ")[0];
        foreach (var line in section.Split('\n').Where(line => line.StartsWith("| `", StringComparison.Ordinal)))
        {
            // "\|" is a pipe inside a cell; split on the others.
            var cells = line.Replace("\\|", "\u0001", StringComparison.Ordinal).Trim('|', ' ').Split('|')
                .Select(cell => cell.Trim().Trim('`').Replace('\u0001', '|')).ToArray();
            data.Add(cells[0], cells[1], cells[2], cells[3], cells[4]);
        }

        Assert.True(data.Count >= 5, "docs/design.md's test vectors look truncated.");
        return data;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public async Task Each_vector_holds(string userId, string partitionKey, string validSince, string createdAt, string issuer)
    {
        Assert.Equal(partitionKey, RevocationMarker.PartitionKeyOf(userId));
        var tokens = await azurite.CreateTableAsync();
        var markers = await azurite.CreateTableAsync();
        if (validSince != "(no marker)")
        {
            await markers.AddEntityAsync(new TableEntity(partitionKey, RevocationMarker.RowKey) { [RevocationMarker.ValidSinceProperty] = Time(validSince) });
        }

        var entity = RefreshTokenEntity.Create("a-refresh-token", userId, Time("2020-01-01T00:00:00.000Z"), expiresAt: null);
        entity.CreatedAt = createdAt == "(none)" ? null : Time(createdAt);
        await tokens.AddEntityAsync(entity);

        var redemption = await new DevTool::DevTokens.RefreshTokenRedeemer(tokens, markers).CheckAsync("a-refresh-token", userId, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(issuer == "accepts", redemption.Accepted);
    }

    private static DateTimeOffset Time(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
